package dev.bound.index;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * Holds a store's directory still at one moment: once {@link #arm} is called, the next file the
 * store creates (a reopen's first commit) waits until {@link #release}. Tests use it to put a
 * write between a failed writer's swap and its end.
 */
public final class WriteHold {
  private final AtomicBoolean armed = new AtomicBoolean();
  private final CountDownLatch writing = new CountDownLatch(1);
  private final CountDownLatch go = new CountDownLatch(1);

  /** The store's directory as this hold sees it; pass as the store's directory wrapper. */
  public Directory wrap(Directory directory) {
    return new FilterDirectory(directory) {
      @Override
      public IndexOutput createOutput(String name, IOContext context) throws IOException {
        if (armed.getAndSet(false)) {
          writing.countDown();
          try {
            go.await();
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
        }
        return in.createOutput(name, context);
      }
    };
  }

  /** Makes the next file created wait. */
  public void arm() {
    armed.set(true);
  }

  /** Whether a file is waiting within ten seconds. */
  public boolean awaitWriting() throws InterruptedException {
    return writing.await(10, TimeUnit.SECONDS);
  }

  /** Lets the waiting file be written. */
  public void release() {
    go.countDown();
  }
}
