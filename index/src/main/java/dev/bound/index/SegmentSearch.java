package dev.bound.index;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;

/**
 * Walks the graphs of an index's segments side by side on cores no other search is using.
 *
 * <p>Lucene searches a vector query's segments one after another on the calling thread unless its
 * searcher has an executor; with one, it gives the executor one task fewer than there are
 * segments, each of which walks the next segment no thread has started, and the calling thread
 * walks segments the same way, so the search ends when the last segment is done. An index that
 * keeps being written holds many segments between merges (18 at a million entries), and walking
 * them one by one is most of a lookup's search there.
 *
 * <p>A second thread only helps while a core is idle. Once as many searches are in flight as
 * there are cores, every core already runs one, and a segment handed to the pool would wait for a
 * core and keep the search that handed it over waiting with it. So a segment goes to the pool
 * only while fewer searches than cores are running, and otherwise runs on the calling thread as
 * it would without the pool ({@link #execute}). Everything else a searcher does (key lookups,
 * counting) stays on the calling thread: the searchers this factory makes hold each reader's
 * segments in one slice.
 *
 * <p>On a million vectors of real questions in 18 segments, two cores (AnswerStoreBenchmark,
 * gateway/PERFORMANCE.md): one thread searching, p50 1.50–1.58 ms and p99 3.36–3.57 ms against
 * 2.82–2.90 and 4.15–4.21 ms one segment after another; two threads searching at once, p99
 * 5.98–6.78 against 6.45–6.71 ms, the same paraphrases found.
 *
 * <p>The pool holds one thread fewer than the cores, since the calling thread takes part; with
 * one core there is none, and searchers have no executor.
 */
final class SegmentSearch extends SearcherFactory implements Executor, Closeable {
  private final int cores;
  private final ThreadPoolExecutor pool; // null with one core
  /** Searches running now, counted by {@link #search}. */
  private final AtomicInteger searching = new AtomicInteger();
  /** Segments the pool took, since opening. */
  private final LongAdder handedOver = new LongAdder();

  /** Walks segments on up to {@code cores} threads, the calling thread among them. */
  SegmentSearch(int cores) {
    this.cores = Math.max(1, cores);
    if (this.cores == 1) {
      pool = null;
      return;
    }
    AtomicInteger named = new AtomicInteger();
    pool = new ThreadPoolExecutor(this.cores - 1, this.cores - 1, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "bound-segment-search-" + named.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) {
    if (pool == null) {
      return new IndexSearcher(reader);
    }
    return new IndexSearcher(reader, this) {
      @Override
      protected LeafSlice[] slices(List<LeafReaderContext> leaves) {
        return slices(leaves, Integer.MAX_VALUE, Integer.MAX_VALUE, false);
      }
    };
  }

  /** Runs one search, counted among those in flight while it runs. */
  <T> T search(Search<T> search) throws IOException {
    searching.incrementAndGet();
    try {
      return search.run();
    } finally {
      searching.decrementAndGet();
    }
  }

  /**
   * Takes a segment's walk onto the pool while fewer searches than cores are running; otherwise
   * refuses it, and Lucene runs it on the calling thread at once.
   */
  @Override
  public void execute(Runnable segment) {
    if (pool == null || searching.get() >= cores) {
      throw new RejectedExecutionException("every core is searching");
    }
    pool.execute(segment);
    handedOver.increment();
  }

  /** Segments the pool took since opening; for tests and benchmarks. */
  long handedOver() {
    return handedOver.sum();
  }

  /** Stops the pool's threads; a walk already taken still finishes. */
  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }

  /** A search that may read the index. */
  @FunctionalInterface
  interface Search<T> {
    T run() throws IOException;
  }
}
