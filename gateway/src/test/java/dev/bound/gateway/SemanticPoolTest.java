package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The semantic pool's admission rules, without a server. */
class SemanticPoolTest {
  @Test
  void byDefault_oneCoreIsLeftToTheRequests_butThereIsAlwaysAThread() {
    assertEquals(1, SemanticPool.defaultThreads(1));
    assertEquals(1, SemanticPool.defaultThreads(2));
    assertEquals(3, SemanticPool.defaultThreads(4));
    assertEquals(15, SemanticPool.defaultThreads(16));
  }

  @Test
  void call_returnsTheResultOfWorkThatStartedInTime() throws Exception {
    try (SemanticPool pool = new SemanticPool(1, 1, Duration.ofSeconds(5))) {
      assertEquals(42, pool.call(() -> 42));
    }
  }

  @Test
  void call_rethrowsTheWorksOwnFailure() {
    try (SemanticPool pool = new SemanticPool(1, 1, Duration.ofSeconds(5))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> pool.call(() -> {
            throw new IllegalStateException("model failed");
          }));
      assertEquals("model failed", e.getMessage());
    }
  }

  @Test
  void call_overloadedWhenNotStartedWithinTheBudget_andTheWorkNeverRuns() throws Exception {
    ExecutorService side = Executors.newVirtualThreadPerTaskExecutor();
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (SemanticPool pool = new SemanticPool(1, 4, Duration.ofMillis(50))) {
      Future<Object> holder = side.submit(() -> pool.call(() -> {
        busy.countDown();
        return release.await(30, TimeUnit.SECONDS);
      }));
      assertTrue(busy.await(10, TimeUnit.SECONDS));
      AtomicBoolean ran = new AtomicBoolean();
      long t0 = System.nanoTime();
      SemanticPool.Overloaded e = assertThrows(SemanticPool.Overloaded.class,
          () -> pool.call(() -> ran.getAndSet(true)));
      long waited = System.nanoTime() - t0;
      assertEquals("not started within the budget", e.getMessage());
      assertTrue(waited < TimeUnit.SECONDS.toNanos(2), "waited " + waited + " ns");
      assertEquals(0, pool.queued(), "the abandoned work left the queue");
      release.countDown();
      assertEquals(true, holder.get(10, TimeUnit.SECONDS));
      assertFalse(ran.get());
    } finally {
      release.countDown();
      side.shutdown();
    }
  }

  @Test
  void call_overloadedAtOnceWhenTheQueueIsFull() throws Exception {
    ExecutorService side = Executors.newVirtualThreadPerTaskExecutor();
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (SemanticPool pool = new SemanticPool(1, 1, Duration.ofSeconds(30))) {
      side.submit(() -> pool.call(() -> {
        busy.countDown();
        return release.await(30, TimeUnit.SECONDS);
      }));
      assertTrue(busy.await(10, TimeUnit.SECONDS));
      Future<Integer> queued = side.submit(() -> pool.call(() -> 7)); // takes the one place
      while (pool.queued() == 0) {
        Thread.onSpinWait();
      }
      SemanticPool.Overloaded e = assertThrows(SemanticPool.Overloaded.class,
          () -> pool.call(() -> 8));
      assertEquals("the semantic queue is full", e.getMessage());
      release.countDown();
      assertEquals(7, queued.get(10, TimeUnit.SECONDS), "queued work within budget still runs");
    } finally {
      release.countDown();
      side.shutdown();
    }
  }

  @Test
  void call_overloadedAtOnceWhenTheQueueAheadWouldOutlastTheBudget() throws Exception {
    ExecutorService side = Executors.newVirtualThreadPerTaskExecutor();
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (SemanticPool pool = new SemanticPool(1, 64, Duration.ofSeconds(5))) {
      assertEquals(0, pool.expectedWaitNanos(), "nothing known yet");
      pool.call(() -> {
        Thread.sleep(1_000); // work takes about a second here
        return null;
      });
      side.submit(() -> pool.call(() -> {
        busy.countDown();
        return release.await(60, TimeUnit.SECONDS);
      }));
      assertTrue(busy.await(10, TimeUnit.SECONDS));
      for (int i = 0; i < 5; i++) {
        side.submit(() -> pool.call(() -> 1));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (pool.queued() < 5) {
        assertTrue(System.nanoTime() < deadline, "five pieces of work never queued");
        Thread.onSpinWait();
      }
      // Five seconds' work queued ahead, with the running work half done: past the budget.
      assertTrue(pool.expectedWaitNanos() > TimeUnit.SECONDS.toNanos(5));
      AtomicBoolean ran = new AtomicBoolean();
      long t0 = System.nanoTime();
      SemanticPool.Overloaded e = assertThrows(SemanticPool.Overloaded.class,
          () -> pool.call(() -> ran.getAndSet(true)));
      long waited = System.nanoTime() - t0;
      assertTrue(e.getMessage().startsWith("the queue ahead would take about"), e.getMessage());
      assertTrue(waited < TimeUnit.SECONDS.toNanos(5), "refused only after " + waited
          + " ns, when the budget had run out");
      assertEquals(5, pool.queued(), "the refused work was never queued");
      release.countDown();
      assertFalse(ran.get());
    } finally {
      release.countDown();
      side.shutdown();
    }
  }
}
