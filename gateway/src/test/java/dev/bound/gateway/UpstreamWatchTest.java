package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.EndPoint;
import org.junit.jupiter.api.Test;

/** The watch on the client's connection stops reading from it before close() returns. */
class UpstreamWatchTest {

  @Test
  void close_waitsForARunningLookAtTheConnection_andNoneRunsAfterIt() throws Exception {
    AtomicInteger looks = new AtomicInteger();
    CountDownLatch looking = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // A connection whose first non-blocking read is still under way when the answer is done.
    EndPoint endPoint = (EndPoint) Proxy.newProxyInstance(EndPoint.class.getClassLoader(),
        new Class<?>[] {EndPoint.class}, (proxy, method, args) -> {
          if (method.getName().equals("fill")) {
            looks.incrementAndGet();
            looking.countDown();
            release.await();
            return 0;
          }
          return method.getReturnType() == boolean.class ? false
              : method.getReturnType() == int.class || method.getReturnType() == long.class
                  ? 0 : null;
        });
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    try {
      UpstreamWatch watch = new UpstreamWatch(timers, Duration.ofMinutes(1),
          ClientLink.of(endPoint));
      assertTrue(looking.await(5, TimeUnit.SECONDS), "the watch never looked at the client");
      CompletableFuture<Void> closed = CompletableFuture.runAsync(watch::close);
      Thread.sleep(300);
      assertFalse(closed.isDone(), "close() returned while a read of the connection ran");
      release.countDown();
      closed.get(5, TimeUnit.SECONDS);
      Thread.sleep(3 * UpstreamWatch.TICK_MS);
      assertEquals(1, looks.get(), "the connection was read after close()");
    } finally {
      release.countDown();
      timers.shutdownNow();
    }
  }
}
