package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.config.BoundConfig;
import dev.bound.gateway.observe.HitCounts;
import dev.bound.gateway.observe.WrongHitEstimate;
import dev.bound.index.Candidate;
import dev.bound.index.Entry;
import dev.bound.index.SharedConflictException;
import dev.bound.index.SharedLog;
import dev.bound.index.SharedRecord;
import dev.bound.index.StorageUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evidence learnt and hits counted behind one instance reach another through the shared log,
 * once: the cosine matcher and no language guard, so no model is loaded; the log is a list in
 * memory (the SolrCloud case is in {@link SharedSolrDocumentsTest}).
 */
class SharedEvidenceTest {
  private static final float[] VECTOR = {1, 0};

  /** A log in memory, stamping records in write order; it can be switched off like Solr. */
  static final class MemoryLog implements SharedLog {
    final List<SharedRecord> records = new ArrayList<>();
    boolean down;
    /** Takes the next record, then reports a failure, as a lost reply would. */
    boolean failAfterWrite;
    private long stamp;

    @Override
    public synchronized void put(SharedRecord r, boolean once) {
      if (down) {
        throw new StorageUnavailableException("down", null);
      }
      for (SharedRecord old : records) {
        if (old.id().equals(r.id()) && once) {
          if (!old.body().equals(r.body())) {
            throw new SharedConflictException(r.id());
          }
          return;
        }
      }
      records.removeIf(old -> old.id().equals(r.id())); // overwritten: a new stamp
      records.add(new SharedRecord(r.id(), r.kind(), r.body(), ++stamp));
      if (failAfterWrite) {
        failAfterWrite = false;
        throw new StorageUnavailableException("the reply was lost", null);
      }
    }

    @Override
    public synchronized List<SharedRecord> since(long stamp, int limit) {
      return records.stream().filter(r -> r.stamp() >= stamp).limit(limit).toList();
    }

    @Override
    public long rewind(long stamp, Duration by) {
      return stamp;
    }
  }

  /** Sharing {@code m} as the instance whose data directory is {@code dir}. */
  private static SharedEvidence attach(MemoryLog log, Matching m, Path dir) {
    return SharedEvidence.attach(log, m, SharedEvidence.instanceName(dir));
  }

  /** A Matching keeping its state in {@code dir}, which it creates. */
  private static Matching matching(Path dir) throws java.io.IOException {
    Files.createDirectories(dir);
    BoundConfig cfg = BoundConfig.resolve(Map.of("cache.matcher", "cosine",
        "cache.language-guard", "false", "cache.error-rate", "0.02"), Map.of(), null);
    return new Matching(cfg.cache(), null, null, dir.resolve("entry-thresholds.json"),
        new Random(42), null);
  }

  private static Matching.Judged judge(Matching m, String entry, double cosine) {
    Candidate c = new Candidate(new Entry(entry, "scope", "key " + entry, "prompt " + entry,
        VECTOR, "m", "{}", 1), (float) cosine);
    return m.judge("query", VECTOR, List.of(c), null).orElseThrow();
  }

  private static WrongHitEstimate.Counts counts(Matching m) {
    return m.estimate().overall();
  }

  @Test
  void feedbackAndVerificationOnA_countOnceOnB_andNeverTwiceOnA(@TempDir Path tmp)
      throws Exception {
    MemoryLog log = new MemoryLog();
    Matching a = matching(tmp.resolve("a"));
    Matching b = matching(tmp.resolve("b"));
    SharedEvidence onA = attach(log, a, tmp.resolve("a"));
    SharedEvidence onB = attach(log, b, tmp.resolve("b"));

    a.served("resp-1", "ent_x", 0.95, "tenant", "m");
    assertEquals(Matching.Rated.RECORDED, a.feedback("resp-1", false, "tenant"));
    a.verified(judge(a, "ent_y", 0.9), "m", true);
    assertEquals(2, onA.flush());
    assertEquals(0, onA.flush(), "nothing new to share");
    assertEquals(1, log.records.size(), "one record per flush");

    onB.apply(log.records);
    assertEquals(1, b.evidence("ent_x").observations());
    assertEquals(1, b.evidence("ent_y").observations());
    assertEquals(1, counts(b).feedbackBad());

    onB.apply(log.records); // the feed's overlap window reads it again
    onA.apply(log.records); // A reads its own record
    assertEquals(1, b.evidence("ent_x").observations());
    assertEquals(1, a.evidence("ent_x").observations());
    assertEquals(1, counts(a).feedbackBad());
    assertEquals(0, onB.flush(), "taken-in evidence is not shared again");
  }

  @Test
  void restartOfB_takesNothingTwice_andKeepsItsName(@TempDir Path tmp) throws Exception {
    MemoryLog log = new MemoryLog();
    Matching a = matching(tmp.resolve("a"));
    SharedEvidence onA = attach(log, a, tmp.resolve("a"));
    Matching b = matching(tmp.resolve("b"));
    SharedEvidence onB = attach(log, b, tmp.resolve("b"));
    a.served("resp-1", "ent_x", 0.95, "tenant", "m");
    a.feedback("resp-1", false, "tenant");
    onA.flush();
    onB.apply(log.records);
    b.save();

    Matching again = matching(tmp.resolve("b"));
    SharedEvidence restarted = attach(log, again, tmp.resolve("b"));
    assertEquals(onB.instance(), restarted.instance());
    assertEquals(1, again.evidence("ent_x").observations(), "saved before the restart");
    restarted.apply(log.records); // a restart reads the whole log
    assertEquals(1, again.evidence("ent_x").observations());
    assertEquals(1, counts(again).feedbackBad());

    a.served("resp-2", "ent_x", 0.95, "tenant", "m");
    a.feedback("resp-2", true, "tenant");
    onA.flush();
    restarted.apply(log.records);
    assertEquals(2, again.evidence("ent_x").observations(), "a later batch is still taken in");
  }

  @Test
  void storageDown_evidenceWaitsAndIsSharedWhenItReturns(@TempDir Path tmp) throws Exception {
    MemoryLog log = new MemoryLog();
    Matching a = matching(tmp.resolve("a"));
    SharedEvidence onA = attach(log, a, tmp.resolve("a"));
    a.served("resp-1", "ent_x", 0.95, "tenant", "m");
    a.feedback("resp-1", false, "tenant");
    log.down = true;
    assertEquals(0, onA.flush());
    a.served("resp-2", "ent_x", 0.95, "tenant", "m");
    a.feedback("resp-2", false, "tenant");
    log.down = false;
    assertEquals(2, onA.flush(), "the record that failed, as it was, then the newer one");
    assertEquals(2, log.records.size());
  }

  @Test
  void malformedRecord_isSkipped_andTheRestTakenIn(@TempDir Path tmp) throws Exception {
    MemoryLog log = new MemoryLog();
    Matching a = matching(tmp.resolve("a"));
    SharedEvidence onA = attach(log, a, tmp.resolve("a"));
    Matching b = matching(tmp.resolve("b"));
    SharedEvidence onB = attach(log, b, tmp.resolve("b"));
    log.put(SharedRecord.of("evidence/x/1", SharedEvidence.KIND, "{\"instance\":\"other-inst\","
        + "\"seq\":1,\"observations\":[{\"entry\":\"ent_z\"}]}"), true);
    log.put(SharedRecord.of("evidence/x/2", SharedEvidence.KIND, "not json"), true);
    a.served("resp-1", "ent_x", 0.95, "tenant", "m");
    a.feedback("resp-1", false, "tenant");
    onA.flush();
    onB.apply(log.records);
    assertEquals(0, b.evidence("ent_z").observations());
    assertEquals(1, b.evidence("ent_x").observations());
  }

  @Test
  void batchesHandedOverOutOfOrder_areEachTakenInOnce_alsoAfterARestart(@TempDir Path tmp)
      throws Exception {
    MemoryLog log = new MemoryLog();
    Matching a = matching(tmp.resolve("a"));
    SharedEvidence onA = attach(log, a, tmp.resolve("a"));
    for (int i = 0; i < 2; i++) {
      a.served("resp-" + i, "ent_x", 0.95, "tenant", "m");
      a.feedback("resp-" + i, false, "tenant");
      assertEquals(1, onA.flush());
    }
    // Another shard's clock: the second batch is read first, the first one a poll later.
    List<SharedRecord> reversed = log.records.reversed();
    Matching b = matching(tmp.resolve("b"));
    SharedEvidence onB = attach(log, b, tmp.resolve("b"));
    onB.apply(List.of(reversed.get(0)));
    onB.apply(List.of(reversed.get(1)));
    assertEquals(2, b.evidence("ent_x").observations(), "the earlier batch is not skipped");
    b.save();
    Matching again = matching(tmp.resolve("b"));
    attach(log, again, tmp.resolve("b"))
        .apply(reversed);
    assertEquals(2, again.evidence("ent_x").observations());
  }

  @Test
  void recordStoredButNotConfirmed_isWrittenAgainAsItWas_notCountedTwice(@TempDir Path tmp)
      throws Exception {
    MemoryLog log = new MemoryLog();
    Matching a = matching(tmp.resolve("a"));
    SharedEvidence onA = attach(log, a, tmp.resolve("a"));
    a.served("resp-1", "ent_x", 0.95, "tenant", "m");
    a.feedback("resp-1", false, "tenant");
    log.failAfterWrite = true;
    assertEquals(0, onA.flush());
    a.served("resp-2", "ent_y", 0.95, "tenant", "m");
    a.feedback("resp-2", false, "tenant");
    assertEquals(2, onA.flush(), "the unconfirmed record again, then the new observation");
    assertEquals(2, log.records.size());
    Matching b = matching(tmp.resolve("b"));
    attach(log, b, tmp.resolve("b"))
        .apply(log.records);
    assertEquals(1, b.evidence("ent_x").observations());
    assertEquals(1, b.evidence("ent_y").observations());
    assertEquals(2, counts(b).feedbackBad());
  }

  @Test
  void anotherMatchersEvidence_isNotTakenIn(@TempDir Path tmp) throws Exception {
    MemoryLog log = new MemoryLog();
    Matching b = matching(tmp.resolve("b"));
    SharedEvidence onB = attach(log, b, tmp.resolve("b"));
    log.put(SharedRecord.of("evidence/other-inst/1", SharedEvidence.KIND, "{\"instance\":"
        + "\"other-inst\",\"seq\":1,\"matcher\":\"another-matcher\",\"observations\":"
        + "[{\"entry\":\"ent_z\",\"score\":0.9,\"correct\":false,\"model\":\"m\","
        + "\"source\":\"FEEDBACK\"}]}"), true);
    onB.apply(log.records);
    assertEquals(0, b.evidence("ent_z").observations());
  }

  @Test
  void hitCounts_areAddedUpAcrossInstances_andASnapshotReadTwiceCountsOnce(@TempDir Path tmp)
      throws Exception {
    MemoryLog log = new MemoryLog();
    Files.writeString(tmp.resolve("a.json"), "{\"ent_x\":3,\"ent_y\":1}");
    Files.writeString(tmp.resolve("b.json"), "{\"ent_x\":2}");
    HitCounts a = new HitCounts(tmp.resolve("a.json"));
    HitCounts b = new HitCounts(tmp.resolve("b.json"));
    SharedState.shareHits(log, a, "inst-a");
    SharedState.shareHits(log, a, "inst-a"); // unchanged: nothing written
    assertEquals(1, log.records.size());
    SharedState.takeHits(log.records, b, "inst-b");
    SharedState.takeHits(log.records, b, "inst-b"); // read again by the overlap window
    SharedState.takeHits(log.records, a, "inst-a"); // its own
    assertEquals(5, b.count("ent_x"));
    assertEquals(1, b.count("ent_y"));
    assertEquals(3, a.count("ent_x"));

    SharedState.shareHits(log, b, "inst-b");
    SharedState.takeHits(log.records, a, "inst-a");
    assertEquals(5, a.count("ent_x"), "B shares its own 2, not the 3 it read from A");

    log.down = true;
    b.save();
    HitCounts restarted = new HitCounts(tmp.resolve("b.json"));
    SharedState.shareHits(log, restarted, "inst-b"); // fails: written at the next chance
    log.down = false;
    SharedState.takeHits(log.records, restarted, "inst-b");
    assertEquals(5, restarted.count("ent_x"), "a restart reads A's totals again, once");
    SharedState.shareHits(log, restarted, "inst-b");
    assertEquals(2, log.records.size(), "B's record is overwritten, not added to");
  }
}
