package dev.bound.gateway;

import dev.bound.index.ChangeFeed;
import dev.bound.index.SharedLog;
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
 * version, with the keys that verify them), model versions and the adaptive threshold's evidence
 * ({@link SharedEvidence}). Each instance writes its changes
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

  /** How often this instance's new evidence is written for the others to take in. */
  static final Duration EVIDENCE_EVERY = Duration.ofSeconds(1);

  private final ChangeFeed feed;
  private final ScheduledExecutorService timer;
  private final SharedEvidence evidence;

  private SharedState(ChangeFeed feed, ScheduledExecutorService timer, SharedEvidence evidence) {
    this.feed = feed;
    this.timer = timer;
    this.evidence = evidence;
  }

  /**
   * Shares the documents and model versions through {@code log} and starts following it (the log
   * takes in its own records, such as evictions): one read now, so that a start with the storage
   * up serves the others' documents at once, then one every {@link #EVERY} on a thread of its
   * own.
   */
  static SharedState start(SharedLog log, BoundDocuments documents, ModelVersions versions,
      Matching matching, Path data) {
    SharedDocuments docs = SharedDocuments.attach(documents.store(), log);
    versions.shareTo(log);
    SharedEvidence evidence = SharedEvidence.attach(log, matching, data);
    ChangeFeed feed = new ChangeFeed(log, OVERLAP, records -> {
      log.follow(records);
      docs.apply(records.stream().filter(SharedDocuments::reads).toList());
      evidence.apply(records);
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
    timer.scheduleWithFixedDelay(evidence::flush, EVIDENCE_EVERY.toMillis(),
        EVIDENCE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return new SharedState(feed, timer, evidence);
  }

  /** Writes the evidence waiting to be shared now, rather than at the next tick; for tests. */
  int flushEvidence() {
    return evidence.flush();
  }

  @Override
  public void close() {
    feed.close();
    evidence.flush(); // what this instance learnt last, unless the storage is down

    Background.stop(timer, Duration.ofSeconds(5), "the change feed");
  }
}
