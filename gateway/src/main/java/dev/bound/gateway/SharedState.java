package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.observe.HitCounts;
import dev.bound.index.ChangeFeed;
import dev.bound.index.SharedLog;
import dev.bound.index.SharedRecord;
import dev.bound.index.StorageUnavailableException;
import dev.bound.index.docs.SharedDocuments;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What instances sharing one storage keep coherent beside the answers: bound documents (every
 * version, with the keys that verify them), model versions, the adaptive threshold's evidence
 * ({@link SharedEvidence}) and hit counts. Each instance writes its changes
 * to the storage and follows the others' through a polled change feed, which also carries the
 * removals of answers to every instance's in-memory exact tier.
 */
final class SharedState implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SharedState.class);
  /** How often the feed reads; a change on one instance is served on the others this soon. */
  static final Duration EVERY = Duration.ofMillis(200);
  /**
   * How far back each read looks again for records that became readable late. Solr stamps
   * records by its shard leaders' clocks, so this also covers their skew.
   */
  static final Duration OVERLAP = Duration.ofSeconds(10);

  /**
   * How often this instance's new evidence is written for the others to take in: each write is
   * a record kept for good, so at most one every 10 s.
   */
  static final Duration EVIDENCE_EVERY = Duration.ofSeconds(10);
  /**
   * How often this instance's hit counts are written, when they changed. The record holds a
   * total for every entry the instance has served (about 40 bytes each), so not often.
   */
  static final Duration HITS_EVERY = Duration.ofSeconds(30);
  static final String HITS = "hits";

  private final ChangeFeed feed;
  private final ScheduledExecutorService timer;
  /** Writes evidence and hit counts, apart from the feed, so a slow write never delays a read. */
  private final ScheduledExecutorService writer;
  private final SharedEvidence evidence;
  private final SharedLog log;
  private final HitCounts hits;
  private final String instance;

  private SharedState(ChangeFeed feed, ScheduledExecutorService timer,
      ScheduledExecutorService writer, SharedEvidence evidence, SharedLog log, HitCounts hits,
      String instance) {
    this.feed = feed;
    this.timer = timer;
    this.writer = writer;
    this.evidence = evidence;
    this.log = log;
    this.hits = hits;
    this.instance = instance;
  }

  /**
   * Shares the documents and model versions through {@code log} and starts following it (the log
   * takes in its own records, such as evictions): one read now, so that a start with the storage
   * up serves the others' documents at once, then one every {@link #EVERY} on a thread of its
   * own.
   */
  static SharedState start(SharedLog log, BoundDocuments documents, ModelVersions versions,
      Matching matching, HitCounts hits, Path data) {
    SharedDocuments docs = SharedDocuments.attach(documents.store(), log);
    versions.shareTo(log);
    String instance = SharedEvidence.instanceName(data);
    SharedEvidence evidence = SharedEvidence.attach(log, matching, instance);
    ChangeFeed feed = new ChangeFeed(log, OVERLAP, records -> {
      log.follow(records);
      docs.apply(records.stream().filter(SharedDocuments::reads).toList());
      evidence.apply(records);
      takeHits(records, hits, instance);
      List<ModelVersions.Change> changes = versions.apply(records);
      changes.forEach(documents::modelChanged);
    }, docs::shareLocal);
    try {
      feed.poll();
    } catch (StorageUnavailableException e) {
      LOG.warn("The shared storage is unavailable; shared documents and model versions are read "
          + "once it answers ({})", e.getMessage());
    } catch (RuntimeException e) {
      // A version that could not be written here, say: the feed offers it again on its next
      // read, so the start goes on.
      LOG.error("Taking in the shared documents failed; the change feed tries again", e);
    }
    ScheduledExecutorService timer = Background.scheduler("bound-change-feed");
    feed.start(timer, EVERY);
    ScheduledExecutorService writer = Background.scheduler("bound-shared-writes");
    SharedState state = new SharedState(feed, timer, writer, evidence, log, hits, instance);
    writer.scheduleWithFixedDelay(evidence::flush, EVIDENCE_EVERY.toMillis(),
        EVIDENCE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    writer.scheduleWithFixedDelay(state::shareHits, HITS_EVERY.toMillis(), HITS_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    return state;
  }

  /**
   * The body of a record of {@code kind} that another instance wrote (its JSON names the
   * instance), or null: another kind, this instance's own, or not JSON (logged).
   */
  static JsonNode fromAnother(SharedRecord r, String kind, String instance) {
    if (!r.kind().equals(kind)) {
      return null;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(r.body());
      String from = n.path("instance").asText("");
      return from.isEmpty() || from.equals(instance) ? null : n;
    } catch (java.io.IOException e) {
      LOG.warn("Skipping the shared record {}: {}", r.id(), e.toString());
      return null;
    }
  }

  /**
   * Writes this instance's hit counts, when they changed, as one record it overwrites each time
   * ({@code hits/<instance>}): its totals, which the others add to their own.
   */
  static void shareHits(SharedLog log, HitCounts hits, String instance) {
    synchronized (hits) { // the timer and a close at once: an older total must not win
      ObjectNode totals = hits.snapshot();
      if (totals == null) {
        return;
      }
      ObjectNode body = Json.object().put("instance", instance);
      body.set("counts", totals);
      try {
        log.put(SharedRecord.of(HITS + "/" + instance, HITS, body.toString()), false);
      } catch (RuntimeException e) {
        hits.unsent();
        if (!(e instanceof StorageUnavailableException)) {
          LOG.warn("Sharing the hit counts failed; they are written again later", e);
        }
      }
    }
  }

  private void shareHits() {
    shareHits(log, hits, instance);
  }

  static void takeHits(List<SharedRecord> records, HitCounts hits, String instance) {
    for (SharedRecord r : records) {
      JsonNode n = fromAnother(r, HITS, instance);
      if (n != null && n.path("counts").isObject()) {
        hits.absorb(n.get("instance").asText(), n.get("counts"));
      }
    }
  }

  /** Writes the evidence and hit counts waiting to be shared now, not at the next tick. */
  void flush() {
    evidence.flush();
    shareHits();
  }

  @Override
  public void close() {
    feed.close();
    Background.stop(timer, Duration.ofSeconds(5), "the change feed");
    Background.stop(writer, Duration.ofSeconds(5), "the shared writes");
    flush(); // what this instance learnt and served last, unless the storage is down
  }
}
