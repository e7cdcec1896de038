package dev.bound.gateway;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Jackson's buffers, shared by the whole process and kept without a lock. Every request runs on
 * a fresh virtual thread, so Jackson's per-thread pool never reuses anything; its bounded pool
 * is a blocking queue whose one lock, taken twice per reading or writing, made up a tenth of the
 * Java samples of 32 concurrent exact hits (most of it handing the lock to a parked thread).
 * Here each set of buffers sits in one of a fixed number of slots: a taker or giver starts at a
 * slot chosen by its thread and tries a few in turn with one atomic swap each. A taker that
 * finds none makes a new set; a giver that finds no empty slot drops its set. So no more than
 * {@code slots} sets are ever kept, as before. Takes and gives settle where about half the slots
 * are full, and then a take finds a set in its eight slots all but once in 256 times.
 */
final class JsonBuffers implements RecyclerPool<BufferRecycler> {
  private static final long serialVersionUID = 1L;
  /** How many slots one take or give tries before it gives up. */
  private static final int TRIES = 8;

  private final transient AtomicReferenceArray<BufferRecycler> slots;
  private final int mask;

  /** A pool of {@code slots} slots, rounded up to a power of two. */
  JsonBuffers(int slots) {
    int n = Integer.highestOneBit(Math.max(TRIES, slots - 1)) << 1;
    this.slots = new AtomicReferenceArray<>(n);
    this.mask = n - 1;
  }

  @Override
  public BufferRecycler acquirePooled() {
    int start = start();
    for (int i = 0; i < TRIES; i++) {
      int at = (start + i) & mask;
      if (slots.getPlain(at) != null) {
        BufferRecycler r = slots.getAndSet(at, null);
        if (r != null) {
          return r;
        }
      }
    }
    return new BufferRecycler();
  }

  @Override
  public void releasePooled(BufferRecycler r) {
    int start = start();
    for (int i = 0; i < TRIES; i++) {
      if (slots.compareAndSet((start + i) & mask, null, r)) {
        return;
      }
    }
  }

  @Override
  public int pooledCount() {
    int n = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean clear() {
    for (int i = 0; i < slots.length(); i++) {
      slots.set(i, null);
    }
    return true;
  }

  /**
   * Where this thread starts looking: its id spread by a multiplicative hash, since virtual
   * threads' ids grow by one per request and would otherwise crowd the same few slots.
   */
  private int start() {
    return (int) ((Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L) >>> 40) & mask;
  }
}
