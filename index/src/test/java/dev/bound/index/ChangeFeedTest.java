package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The change feed's reading rules, over a log kept in memory whose stamps are milliseconds. */
class ChangeFeedTest {

  /** Records become readable when a test says so, in any order of stamps. */
  static final class MemoryLog implements SharedLog {
    final List<SharedRecord> visible = new ArrayList<>();
    volatile boolean down;

    void show(String id, long stamp) {
      visible.removeIf(r -> r.id().equals(id));
      visible.add(new SharedRecord(id, "test", "body of " + id, stamp));
    }

    @Override
    public void put(SharedRecord record, boolean once) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<SharedRecord> since(long stamp, int limit) {
      if (down) {
        throw new StorageUnavailableException("down", null);
      }
      return visible.stream().filter(r -> r.stamp() >= stamp)
          .sorted(Comparator.comparingLong(SharedRecord::stamp)).limit(limit).toList();
    }

    @Override
    public long rewind(long stamp, Duration by) {
      return stamp - by.toMillis();
    }
  }

  final MemoryLog log = new MemoryLog();
  final List<String> handed = new ArrayList<>();
  final AtomicInteger firstReads = new AtomicInteger();
  final ChangeFeed feed = new ChangeFeed(log, Duration.ofMillis(100),
      batch -> batch.forEach(r -> handed.add(r.id() + "@" + r.stamp())),
      firstReads::incrementAndGet);

  @Test
  void poll_lateRecordWithinTheWindow_handedOnOnce() {
    log.show("a", 1000);
    log.show("c", 1050);
    assertEquals(2, feed.poll());
    // b was stamped before c but became readable after it: the overlap reads it again.
    log.show("b", 1020);
    assertEquals(1, feed.poll());
    assertEquals(0, feed.poll());
    assertEquals(List.of("a@1000", "c@1050", "b@1020"), handed);
    assertEquals(1, firstReads.get());
  }

  @Test
  void poll_overwrittenRecord_handedOnAgain() {
    log.show("model/m", 10);
    feed.poll();
    log.show("model/m", 20);
    feed.poll();
    assertEquals(List.of("model/m@10", "model/m@20"), handed);
  }

  @Test
  void poll_emptyLogThenRecords_readsFromTheStart() {
    assertEquals(0, feed.poll());
    assertTrue(feed.caughtUp());
    log.show("a", Long.MIN_VALUE + 5);
    assertEquals(1, feed.poll());
  }

  @Test
  void poll_moreThanAPage_readsEverything() {
    for (int i = 0; i < ChangeFeed.PAGE * 2 + 7; i++) {
      log.show("r" + i, 1000 + i);
    }
    assertEquals(ChangeFeed.PAGE * 2 + 7, feed.poll());
  }

  @Test
  void poll_sinkFails_recordsOfferedAgain() {
    List<String> got = new ArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    ChangeFeed failing = new ChangeFeed(log, Duration.ofMillis(100), batch -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("disk full");
      }
      batch.forEach(r -> got.add(r.id()));
    }, () -> { });
    log.show("a", 1000);
    assertThrows(IllegalStateException.class, failing::poll);
    assertEquals(1, failing.poll());
    assertEquals(List.of("a"), got);
  }

  @Test
  void poll_logDown_throwsAndNothingIsLost() {
    log.show("a", 1000);
    log.down = true;
    assertThrows(StorageUnavailableException.class, feed::poll);
    assertEquals(0, firstReads.get());
    log.down = false;
    assertEquals(1, feed.poll());
    assertEquals(1, firstReads.get());
  }

  @Test
  void start_logDownForManyPolls_saysSoOnceAndOnceWhenBack() throws Exception {
    log.show("a", 1000);
    log.down = true;
    String printed = LogLines.printedWhile(() -> {
      ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
      try {
        feed.start(timers, Duration.ofMillis(10));
        Thread.sleep(300); // some 30 polls meet the outage
        log.down = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (firstReads.get() == 0 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        Thread.sleep(100); // and a few more polls after it
      } finally {
        feed.close();
        timers.shutdownNow();
      }
    });
    assertEquals(1, firstReads.get());
    assertEquals(1, LogLines.count(printed, "The change feed cannot use its storage"),
        printed);
    assertEquals(1, LogLines.count(printed, "The change feed can use its storage again"),
        printed);
  }
}
