package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.index.SharedLog;
import dev.bound.index.SharedRecord;
import dev.bound.index.StorageUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adaptive threshold's evidence, shared: what sampled verification and feedback teach one
 * instance about serving an entry (its per-entry evidence, the pooled calibration, the wrong-hit
 * counts) is written to the shared log in small batches and taken in by every other instance as
 * if learnt there, so a wrong hit found behind one instance stops being served behind all.
 *
 * <p>Evidence is counts, so instances share what they observe rather than their totals: each
 * batch is a record of its own ({@code evidence/<instance>/<seq>}, written once), numbered in
 * increasing order by the instance that made it, and an instance takes in each other instance's
 * batches once ({@link Matching#absorb}). The instance's name is kept in its data directory, so
 * a restart recognises its own batches and the ones it has already taken in. Batches are numbered
 * by the clock (microseconds): an instance whose clock was set back across a restart has its new
 * batches skipped by the others until its clock passes the last number they took in.
 */
final class SharedEvidence {
  private static final Logger LOG = LoggerFactory.getLogger(SharedEvidence.class);
  static final String KIND = "evidence";
  /** Observations kept while the storage is down; older ones give way past this. */
  static final int MAX_WAITING = 10_000;
  static final String INSTANCE_FILE = "instance-id";

  private final SharedLog log;
  private final Matching matching;
  private final String instance;
  private final Deque<Matching.Observation> waiting = new ArrayDeque<>();
  private final Object flushing = new Object();
  /** A record written while the storage failed, to be written again as it is; or null. */
  private Unsent unsent;
  private long lastSeq;
  private volatile boolean warnedFull;

  private record Unsent(SharedRecord record, int observations) {}

  private SharedEvidence(SharedLog log, Matching matching, String instance) {
    this.log = log;
    this.matching = matching;
    this.instance = instance;
  }

  /** Starts sharing {@code matching}'s observations as {@code instance} ({@link #instanceName}). */
  static SharedEvidence attach(SharedLog log, Matching matching, String instance) {
    SharedEvidence e = new SharedEvidence(log, matching, instance);
    matching.shareTo(e::offer);
    return e;
  }

  /** This data directory's name among the instances: made once, then read. */
  static String instanceName(Path data) {
    Path file = data.resolve(INSTANCE_FILE);
    try {
      if (Files.isRegularFile(file)) {
        String name = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (name.matches("[A-Za-z0-9-]{8,64}")) {
          return name;
        }
        LOG.warn("{} does not hold an instance name; making a new one", file);
      }
      String name = UUID.randomUUID().toString();
      Path tmp = data.resolve(INSTANCE_FILE + ".tmp");
      Files.writeString(tmp, name + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return name;
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot keep this instance's name in " + file, ex);
    }
  }

  String instance() {
    return instance;
  }

  private synchronized void offer(Matching.Observation o) {
    if (waiting.size() >= MAX_WAITING) {
      waiting.removeFirst();
      if (!warnedFull) {
        warnedFull = true;
        LOG.warn("More than {} observations wait for the shared storage; the oldest are dropped "
            + "(they still count on this instance)", MAX_WAITING);
      }
    }
    waiting.addLast(o);
  }

  /**
   * Writes what was observed since the last flush as one record. A record the storage did not
   * confirm is written again as it was, same number and all, before anything newer: it may have
   * arrived, and written once, a second write of it is a no-op rather than a second count.
   * Observations made meanwhile wait for the next record. One flush at a time, so this
   * instance's records reach the storage in the order of their numbers.
   *
   * @return how many observations were written
   */
  int flush() {
    synchronized (flushing) {
      if (unsent != null) {
        if (!write(unsent.record())) {
          return 0;
        }
        int n = unsent.observations();
        unsent = null;
        return n + flush();
      }
      List<Matching.Observation> batch;
      synchronized (this) {
        if (waiting.isEmpty()) {
          return 0;
        }
        batch = new ArrayList<>(waiting);
        waiting.clear();
      }
      // Increasing across restarts too, without a counter on disk: the clock, in microseconds.
      long seq = Math.max(lastSeq + 1, System.currentTimeMillis() * 1000);
      lastSeq = seq;
      SharedRecord r = SharedRecord.of(KIND + "/" + instance + "/" + seq, KIND,
          encode(seq, batch));
      if (!write(r)) {
        unsent = new Unsent(r, batch.size());
        return 0;
      }
      warnedFull = false;
      return batch.size();
    }
  }

  private boolean write(SharedRecord r) {
    try {
      log.put(r, true);
      return true;
    } catch (RuntimeException e) {
      if (!(e instanceof StorageUnavailableException)) {
        LOG.warn("Sharing the evidence record {} failed; it is written again later", r.id(), e);
      }
      return false;
    }
  }

  /** Takes in the other instances' batches among {@code records}; a malformed one is skipped. */
  void apply(List<SharedRecord> records) {
    for (SharedRecord r : records) {
      JsonNode n = SharedState.fromAnother(r, KIND, instance);
      if (n == null || !n.path("matcher").asText("").equals(matching.calibrationKey())) {
        continue; // ours, malformed, or another matcher's, whose scores mean something else
      }
      try {
        List<Matching.Observation> batch = new ArrayList<>();
        for (JsonNode o : n.path("observations")) {
          batch.add(new Matching.Observation(o.get("entry").asText(),
              o.get("score").asDouble(), o.get("correct").asBoolean(),
              o.path("model").isTextual() ? o.get("model").asText() : null,
              Matching.Source.valueOf(o.get("source").asText())));
        }
        matching.absorb(n.get("instance").asText(), n.get("seq").asLong(), batch);
      } catch (RuntimeException e) {
        LOG.warn("Skipping the shared evidence record {}: {}", r.id(), e.toString());
      }
    }
  }

  private String encode(long seq, List<Matching.Observation> batch) {
    ObjectNode n = Json.object().put("instance", instance).put("seq", seq)
        .put("matcher", matching.calibrationKey());
    ArrayNode obs = n.putArray("observations");
    for (Matching.Observation o : batch) {
      obs.addObject().put("entry", o.entryId()).put("score", o.score())
          .put("correct", o.correct()).put("model", o.model())
          .put("source", o.source().name()); // a null model stays null, as it was here
    }
    return n.toString();
  }
}
