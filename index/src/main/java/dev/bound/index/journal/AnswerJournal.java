package dev.bound.index.journal;

import dev.bound.index.Entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only journal of answers not yet committed to the index, in numbered segment files.
 * An appended record is in the operating system's page cache when {@link #append} returns, so a
 * crash of the process cannot lose it; a background thread forces it to the device at least every
 * {@code flushEvery}, which bounds what a power failure can lose. Every {@link #checkpoint} starts
 * a new segment; a segment is deleted by {@link #release} once all its entries are indexed and a
 * commit of the index followed. Thread-safe.
 *
 * <p>At {@link #open} the segments a previous run left are read (a record torn by a crash, or
 * damaged, is skipped and the intact records after it are read) and offered as {@link #recovered}; the caller indexes and
 * commits them, then calls {@link #discardRecovered}.
 */
public final class AnswerJournal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnswerJournal.class);

  /** Where an appended entry went; hand it back to {@link #indexed} once the entry is indexed. */
  public static final class Ticket {
    private final Segment segment;

    private Ticket(Segment segment) {
      this.segment = segment;
    }
  }

  /** Segments whose entries were all indexed when it was taken; see {@link #release}. */
  public static final class Checkpoint {
    private final List<Segment> done;

    private Checkpoint(List<Segment> done) {
      this.done = done;
    }
  }

  private final Path dir;
  /** Guards current, sealed and closed; never held while a file is forced. */
  private final ReentrantLock appendLock = new ReentrantLock();
  /** Serialises forcing and rotation, so a segment is never closed while it is forced. */
  private final ReentrantLock forceLock = new ReentrantLock();
  private final List<Segment> sealed = new ArrayList<>();
  private Segment current;
  /** The next segment's number; guarded by the force lock. */
  private long next;
  private boolean closed;
  private final List<Entry> recovered;
  private final List<Path> recoveredFiles;
  private final AtomicLong appended = new AtomicLong();
  private final AtomicLong forced = new AtomicLong();
  private final ScheduledExecutorService flusher;

  private AnswerJournal(Path dir, Duration flushEvery, List<Entry> recovered,
      List<Path> recoveredFiles, long next) throws IOException {
    this.dir = dir;
    this.recovered = List.copyOf(recovered);
    this.recoveredFiles = List.copyOf(recoveredFiles);
    this.next = next;
    this.current = Segment.create(dir, this.next++);
    if (flushEvery.isZero()) {
      flusher = null;
    } else {
      flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bound-journal-flusher");
        t.setDaemon(true);
        return t;
      });
      long ms = Math.max(1, flushEvery.toMillis());
      flusher.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Opens the journal in {@code dir}, creating it if needed, and reads what a previous run left.
   *
   * @param flushEvery how often appended records are forced to the device; zero forces each
   *     {@link #append} before it returns
   */
  public static AnswerJournal open(Path dir, Duration flushEvery) {
    Objects.requireNonNull(dir, "dir must not be null");
    if (flushEvery.isNegative()) {
      throw new IllegalArgumentException("flushEvery must not be negative but was " + flushEvery);
    }
    Path path = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(path);
      List<Path> files = Segment.list(path);
      List<Entry> entries = new ArrayList<>();
      for (Path f : files) {
        Records.Read read = Records.read(f);
        entries.addAll(read.entries());
        if (read.ignoredBytes() > 0) {
          // Usually a record torn by a crash, never acknowledged; damage further in costs the
          // records it hit, so the file is kept whole for a person to read.
          Path kept = f.resolveSibling(f.getFileName() + ".damaged");
          Files.copy(f, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          LOG.warn("Could not read {} bytes of {} ({} intact records read): a record torn by a "
              + "crash, or damage; the file is kept as {}",
              read.ignoredBytes(), f, read.entries().size(), kept.getFileName());
        }
      }
      long next = files.isEmpty() ? 1 : Segment.number(files.getLast()) + 1;
      return new AnswerJournal(path, flushEvery, entries, files, next);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not open the answer journal at " + path, e);
    }
  }

  /** The entries a previous run journaled, oldest first; some may already be in the index. */
  public List<Entry> recovered() {
    return recovered;
  }

  /** Deletes the segments {@link #recovered} came from; call once they are committed. */
  public void discardRecovered() {
    recoveredFiles.forEach(Segment::delete);
  }

  /**
   * Appends the entry; when this returns it survives a crash of the process, and after the next
   * flush (at once when {@code flushEvery} is zero) a crash of the machine.
   *
   * @throws UncheckedIOException if the file cannot be written
   * @throws IllegalStateException if the journal is closed
   */
  public Ticket append(Entry e) {
    ByteBuffer record = Records.encode(e);
    Segment s;
    long seq;
    appendLock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("The answer journal at " + dir + " is closed");
      }
      s = current;
      s.write(record);
      s.records++;
      s.unindexed.incrementAndGet();
      seq = appended.incrementAndGet();
    } finally {
      appendLock.unlock();
    }
    if (flusher == null) {
      forceUpTo(seq);
    }
    return new Ticket(s);
  }

  /** Records that the ticket's entry is in the index (committed or not). */
  public void indexed(Ticket t) {
    t.segment.unindexed.decrementAndGet();
  }

  /** Forces every record appended so far to the device. */
  public void flush() {
    forceUpTo(appended.get());
  }

  /** Records appended but not yet forced to the device. */
  public long unflushed() {
    return Math.max(0, appended.get() - forced.get());
  }

  /**
   * Starts a new segment if the current one holds records, and notes the segments whose entries
   * are all indexed. Commit the index after this, then {@link #release} the checkpoint.
   */
  public Checkpoint checkpoint() {
    forceLock.lock(); // close() takes it too, so closed cannot change meanwhile
    try {
      boolean rotate;
      appendLock.lock();
      try {
        rotate = !closed && current.records > 0;
      } finally {
        appendLock.unlock();
      }
      if (rotate) {
        if (!Files.isDirectory(dir)) {
          // Removed under a running Bound: appends went on into a file no longer in any
          // directory, which a crash lost, until the directory is made again here.
          Files.createDirectories(dir);
          LOG.warn("The answer journal's directory {} was removed while Bound ran; it is made "
              + "again (answers journaled while it was missing are kept by the index alone)", dir);
        }
        Segment fresh = Segment.create(dir, next++); // outside the append lock: it syncs the dir
        Segment old;
        long upTo;
        appendLock.lock();
        try {
          old = current;
          current = fresh;
          sealed.add(old);
          upTo = appended.get();
        } finally {
          appendLock.unlock();
        }
        old.channel.force(false);
        old.channel.close();
        forced.accumulateAndGet(upTo, Math::max);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start a new segment of the journal at " + dir, e);
    } finally {
      forceLock.unlock();
    }
    appendLock.lock();
    try {
      return new Checkpoint(sealed.stream().filter(s -> s.unindexed.get() <= 0).toList());
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * The entries of every segment not yet released, read back from the files, oldest first; some
   * may already be in the index. For a store that lost what it had not committed.
   */
  public List<Entry> unreleased() {
    List<Path> files = new ArrayList<>();
    appendLock.lock();
    try {
      sealed.forEach(seg -> files.add(seg.file));
      files.add(current.file);
    } finally {
      appendLock.unlock();
    }
    List<Entry> entries = new ArrayList<>();
    for (Path f : files) {
      try {
        entries.addAll(Records.read(f).entries());
      } catch (IOException e) {
        throw new UncheckedIOException("Could not read the answer journal's " + f, e);
      }
    }
    return entries;
  }

  /** Deletes the checkpoint's segments; call only after a commit of the index that followed it. */
  public void release(Checkpoint c) {
    for (Segment s : c.done) {
      Segment.delete(s.file);
    }
    appendLock.lock();
    try {
      sealed.removeAll(c.done);
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * Forces and closes the journal; later appends fail. Segments with entries not known to be
   * indexed stay for the next start; an empty current segment is deleted.
   */
  @Override
  public void close() {
    if (flusher != null) {
      flusher.shutdown();
    }
    forceLock.lock();
    try {
      appendLock.lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
      } finally {
        appendLock.unlock();
      }
      current.channel.force(false);
      current.channel.close();
      forced.set(appended.get());
      if (current.records == 0) {
        Segment.delete(current.file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not close the answer journal at " + dir, e);
    } finally {
      forceLock.unlock();
    }
  }

  private void forceUpTo(long seq) {
    forceLock.lock();
    try {
      if (forced.get() >= seq) {
        return; // another thread's force covered this record too
      }
      Segment s;
      long upTo;
      appendLock.lock();
      try {
        if (closed) {
          return; // closing forced everything
        }
        s = current;
        upTo = appended.get();
      } finally {
        appendLock.unlock();
      }
      // Earlier segments were forced when they were sealed.
      s.channel.force(false);
      forced.accumulateAndGet(upTo, Math::max);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not force the answer journal at " + dir, e);
    } finally {
      forceLock.unlock();
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("Could not force the answer journal at {}; will retry", dir, e);
    }
  }
}
