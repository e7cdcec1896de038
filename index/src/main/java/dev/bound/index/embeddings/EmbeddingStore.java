package dev.bound.index.embeddings;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bound.index.WriterFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.store.NRTCachingDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;

/**
 * A durable map from a hex SHA-256 key to opaque bytes: a Lucene index of its own (a keyword field
 * and a stored field, no vectors) with a Caffeine tier of bounded size in front. What has been
 * {@linkplain #commit committed} survives a crash; {@link #close} commits. Thread-safe.
 */
public final class EmbeddingStore implements AutoCloseable {
  static final String F_KEY = "key";
  static final String F_VALUE = "value";
  static final String META_SCHEMA = "bound.embeddings.schema";
  static final String SCHEMA_VERSION = "1";

  /** Heap an entry holds beyond its value: the key string, the map node, two array headers. */
  static final int ENTRY_OVERHEAD = 160;

  private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

  private final Path path;
  private final Directory directory;
  /** Replaced by {@link #reopen} after a failure Lucene cannot undo; the searchers with it. */
  private volatile IndexWriter writer;
  private volatile SearcherManager searchers;
  private final Cache<String, byte[]> hot;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object refreshLock = new Object();

  /** The sequence number of the latest write; reads refresh the searcher up to it first. */
  private volatile long written = -1;

  /** Every write up to this sequence number is visible to searchers. */
  private volatile long visible = -1;

  private EmbeddingStore(Path path, Directory directory, IndexWriter writer,
      SearcherManager searchers, long hotTierBytes) {
    this.path = path;
    this.directory = directory;
    this.writer = writer;
    this.searchers = searchers;
    // Eviction runs on the calling thread, so a test sees the budget kept as soon as a put returns.
    this.hot = Caffeine.newBuilder()
        .maximumWeight(hotTierBytes)
        .<String, byte[]>weigher((k, v) -> v.length + ENTRY_OVERHEAD)
        .executor(Runnable::run)
        .build();
  }

  /**
   * Opens the store in {@code directory}, creating it if needed.
   *
   * @param hotTierBytes heap for the in-memory tier; 0 reads every lookup from the index
   * @throws IllegalStateException if another process has the directory open, or it holds an index
   *     of another layout
   */
  public static EmbeddingStore open(Path directory, long hotTierBytes) {
    return open(directory, hotTierBytes, UnaryOperator.identity());
  }

  /**
   * As {@link #open(Path, long)}, with every file written through {@code wrap}'s directory; for
   * tests that make writes fail as a full disk does.
   */
  public static EmbeddingStore open(Path directory, long hotTierBytes,
      UnaryOperator<Directory> wrap) {
    Objects.requireNonNull(directory, "directory must not be null");
    if (hotTierBytes < 0) {
      throw new IllegalArgumentException("hotTierBytes must be >= 0 but was " + hotTierBytes);
    }
    Path path = directory.toAbsolutePath().normalize();
    Directory dir = null;
    IndexWriter writer = null;
    try {
      Files.createDirectories(path);
      // Small flushed segments stay in memory until a commit writes them out; commits stay durable.
      dir = new NRTCachingDirectory(wrap.apply(FSDirectory.open(path)), 4.0, 32.0);
      if (DirectoryReader.indexExists(dir)) {
        String schema = SegmentInfos.readLatestCommit(dir).getUserData().get(META_SCHEMA);
        if (!SCHEMA_VERSION.equals(schema)) {
          throw new IllegalStateException("The embeddings store at " + path + " has layout "
              + schema + ", not " + SCHEMA_VERSION + "; move it aside to start afresh");
        }
      }
      try {
        writer = new IndexWriter(dir, config());
      } catch (LockObtainFailedException e) {
        throw new IllegalStateException("The embeddings store at " + path + " is in use by "
            + "another process (its Lucene write.lock is held)", e);
      }
      writer.setLiveCommitData(Map.of(META_SCHEMA, SCHEMA_VERSION).entrySet());
      writer.commit();
      return new EmbeddingStore(path, dir, writer, new SearcherManager(writer, null),
          hotTierBytes);
    } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
      closeQuietly(writer, dir);
      throw new IllegalStateException("The embeddings store at " + path + " cannot be read: it "
          + "is damaged, or another version of Bound wrote it (" + e.getMessage() + "). Move it "
          + "aside (for example to " + path.getFileName() + ".damaged) and start again: stored "
          + "embeddings are then asked of the upstream again, and the rest of the data directory "
          + "is kept", e);
    } catch (IOException e) {
      closeQuietly(writer, dir);
      throw new UncheckedIOException("Could not open the embeddings store at " + path, e);
    } catch (RuntimeException | Error e) {
      closeQuietly(writer, dir);
      throw e;
    }
  }

  private static IndexWriterConfig config() {
    return new IndexWriterConfig()
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        .setMaxFullFlushMergeWaitMillis(0)
        .setCommitOnClose(true);
  }

  /**
   * The stored values of those {@code keys} that are stored; keys not stored are absent from the
   * result. Each value is a copy the caller may keep or change.
   */
  public Map<String, byte[]> getAll(Collection<String> keys) {
    Objects.requireNonNull(keys, "keys must not be null");
    keys.forEach(EmbeddingStore::checkKey);
    ensureOpen();
    Map<String, byte[]> found = hot.getAll(keys, this::read);
    Map<String, byte[]> out = new LinkedHashMap<>();
    found.forEach((k, v) -> out.put(k, v.clone()));
    return out;
  }

  /**
   * Stores every entry, replacing the value of a key already stored; readable at once, durable
   * from the next {@link #commit}. Nothing is written if any key is malformed.
   */
  public void putAll(Map<String, byte[]> entries) {
    Objects.requireNonNull(entries, "entries must not be null");
    Map<String, byte[]> copy = new LinkedHashMap<>();
    entries.forEach((k, v) -> {
      checkKey(k);
      copy.put(k, Objects.requireNonNull(v, "value of " + k + " must not be null").clone());
    });
    ensureOpen();
    try {
      // A put may meet the writer a full disk closed while reopen swaps it: it then goes whole to
      // the new writer, whose number the reads refresh to.
      long seq = WriterFailure.onCurrent(() -> writer, this, w -> {
        long last = -1;
        for (Map.Entry<String, byte[]> e : copy.entrySet()) {
          Document d = new Document();
          d.add(new StringField(F_KEY, e.getKey(), Field.Store.YES));
          d.add(new StoredField(F_VALUE, e.getValue()));
          last = w.updateDocument(new Term(F_KEY, e.getKey()), d);
        }
        return last;
      });
      written = Math.max(written, seq);
      hot.putAll(copy);
    } catch (AlreadyClosedException e) {
      throw closedException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write to the embeddings store at " + path, e);
    }
  }

  /** The number of stored keys, including those not yet committed. */
  public long size() {
    ensureOpen();
    return withSearcher(s -> (long) s.getIndexReader().numDocs());
  }

  /** Removes every entry and commits at once. */
  public void clear() {
    ensureOpen();
    try {
      written = Math.max(written, writer.deleteAll());
      writer.commit();
      hot.invalidateAll();
    } catch (AlreadyClosedException e) {
      throw closedException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not clear the embeddings store at " + path, e);
    }
  }

  /**
   * Makes every write so far durable; cheap when there is none, so it may be called on a timer.
   *
   * @return whether there was anything to commit
   */
  public boolean commit() {
    ensureOpen();
    try {
      if (!writer.hasUncommittedChanges()) {
        return false;
      }
      writer.commit();
      return true;
    } catch (AlreadyClosedException e) {
      throw closedException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not commit the embeddings store at " + path, e);
    }
  }

  /**
   * Why the store cannot be written, once Lucene met a failure it cannot undo (a full disk): its
   * writer is then closed until {@link #reopen}; empty while it can be written.
   */
  public Optional<String> writeFailure() {
    if (closed.get()) {
      return Optional.empty();
    }
    return WriterFailure.of(writer).map(why -> "the embeddings store at " + path
        + " cannot be written (" + why + ")");
  }

  /**
   * Opens a new writer after one closed by a failure Lucene cannot undo, once the disk takes
   * writes again; true when the store can be written. What the old writer had not committed is
   * gone, the hot tier aside.
   */
  public synchronized boolean reopen() {
    ensureOpen();
    if (writer.getTragicException() == null) {
      return true;
    }
    Optional<WriterFailure.Reopened> fresh = WriterFailure.reopened(directory, config(),
        w -> w.setLiveCommitData(Map.of(META_SCHEMA, SCHEMA_VERSION).entrySet()));
    if (fresh.isEmpty()) {
      return false;
    }
    SearcherManager stale = searchers;
    synchronized (refreshLock) {
      writer = fresh.get().writer();
      searchers = fresh.get().searchers();
      written = -1; // the new writer numbers its writes afresh
      visible = -1;
    }
    IOUtils.closeWhileHandlingException(stale);
    return true;
  }

  /** Commits and closes; later calls do nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      // The writer commits on close; the searchers go first so no reader opens on a closing writer.
      IOUtils.close(searchers, writer, directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not close the embeddings store at " + path, e);
    }
  }

  /** Reads from the index the keys the hot tier lacks; Caffeine keeps what this returns. */
  private Map<String, byte[]> read(Set<? extends String> keys) {
    List<BytesRef> terms = new ArrayList<>(keys.size());
    keys.forEach(k -> terms.add(new BytesRef(k)));
    return withSearcher(s -> {
      Map<String, byte[]> out = new HashMap<>();
      StoredFields stored = s.storedFields();
      // A key has one live document at most (puts replace), so keys.size() hits are all of them.
      for (ScoreDoc sd : s.search(new TermInSetQuery(F_KEY, terms), keys.size()).scoreDocs) {
        Document d = stored.document(sd.doc);
        BytesRef v = d.getBinaryValue(F_VALUE);
        out.put(d.get(F_KEY), Arrays.copyOfRange(v.bytes, v.offset, v.offset + v.length));
      }
      return out;
    });
  }

  /** Returns once the searcher includes the write with sequence number {@code seq}. */
  private void refreshToInclude(long seq) {
    if (visible >= seq) {
      return;
    }
    synchronized (refreshLock) {
      if (visible >= seq) {
        return;
      }
      // Read first: the refreshed reader holds at least every write completed by now.
      long covered = writer.getMaxCompletedSequenceNumber();
      try {
        searchers.maybeRefreshBlocking();
      } catch (AlreadyClosedException e) {
        if (writeFailure().isPresent()) {
          return; // closed by a full disk: what it had made searchable is still read
        }
        throw closedException(e);
      } catch (IOException e) {
        throw new UncheckedIOException("Could not refresh the embeddings store at " + path, e);
      }
      visible = Math.max(visible, covered);
    }
  }

  private interface SearcherCall<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private <T> T withSearcher(SearcherCall<T> call) {
    refreshToInclude(written);
    SearcherManager searchers = this.searchers; // released where acquired, across a reopen
    IndexSearcher s;
    try {
      s = searchers.acquire();
    } catch (AlreadyClosedException e) {
      throw closedException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return call.apply(s);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the embeddings store at " + path, e);
    } finally {
      try {
        searchers.release(s);
      } catch (IOException e) {
        // a failed release only delays freeing an old reader's files
      }
    }
  }

  private static void checkKey(String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("key must be 64 lower-case hex digits (a SHA-256) but was "
          + key);
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("The embeddings store at " + path + " is closed");
    }
  }

  private IllegalStateException closedException(AlreadyClosedException cause) {
    String why = writeFailure().orElse("The embeddings store at " + path + " is closed");
    return new IllegalStateException(why, cause);
  }

  private static void closeQuietly(IndexWriter writer, Directory dir) {
    if (writer != null) {
      try {
        writer.rollback(); // never commit on a failed open
      } catch (IOException | RuntimeException e) {
        // already failing; the first error is the one to report
      }
    }
    IOUtils.closeWhileHandlingException(dir);
  }
}
