package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.util.BufferRecycler;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JsonBuffersTest {
  @Test
  void aSetGivenBack_isTakenAgain() {
    JsonBuffers pool = new JsonBuffers(64);
    BufferRecycler r = pool.acquirePooled();
    pool.releasePooled(r);
    assertEquals(1, pool.pooledCount());
    assertSame(r, pool.acquirePooled());
    assertEquals(0, pool.pooledCount());
  }

  @Test
  void noMoreSetsAreKeptThanTheSlots() {
    JsonBuffers pool = new JsonBuffers(64);
    for (int i = 0; i < 10_000; i++) {
      pool.releasePooled(new BufferRecycler());
    }
    assertTrue(pool.pooledCount() <= 64, pool.pooledCount() + " kept");
    assertTrue(pool.clear());
    assertEquals(0, pool.pooledCount());
  }

  @Test
  void noSetIsEverHeldByTwoTakersAtOnce() throws Exception {
    JsonBuffers pool = new JsonBuffers(16);
    Set<BufferRecycler> held = Collections.synchronizedSet(
        Collections.newSetFromMap(new IdentityHashMap<>()));
    AtomicInteger twice = new AtomicInteger();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<?>[] all = new Future<?>[32];
      for (int t = 0; t < all.length; t++) {
        all[t] = threads.submit(() -> {
          for (int i = 0; i < 20_000; i++) {
            BufferRecycler r = pool.acquirePooled();
            if (!held.add(r)) {
              twice.incrementAndGet();
            }
            Thread.yield();
            held.remove(r);
            pool.releasePooled(r);
          }
        });
      }
      for (Future<?> f : all) {
        f.get();
      }
    }
    assertEquals(0, twice.get());
    assertTrue(pool.pooledCount() > 0, "sets given back are kept");
  }
}
