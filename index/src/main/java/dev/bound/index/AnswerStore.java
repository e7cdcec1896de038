package dev.bound.index;

import org.apache.lucene.search.SortField;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.search.knn.KnnCollectorManager;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FileSwitchDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.store.NRTCachingDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOSupplier;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.VectorUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable answer cache: an exact tier (in-memory Caffeine over a Lucene keyword field) and a
 * semantic tier (Lucene HNSW vectors), both strictly partitioned by scope. Thread-safe.
 */
public final class AnswerStore implements AnswerBackend {

  private static final Logger log = LoggerFactory.getLogger(AnswerStore.class);

  // Commit user data keys. The schema key lets a later release refuse (rather than misread) an
  // index whose fields it lays out differently.
  static final String META_MODEL = "bound.embedding.model";
  static final String META_DIMENSION = "bound.embedding.dimension";
  static final String META_SCHEMA = "bound.index.schema";
  /**
   * The layout this build writes. Version 2 adds the key fields' Bloom filter ({@link
   * StoreCodec}): an index written at version 1 opens as it is, and a build that reads only
   * version 1 refuses a version 2 index with its own message instead of failing on a postings
   * format it does not have.
   */
  static final String SCHEMA_VERSION = "2";
  /** The layouts this build reads. */
  static final Set<String> READABLE_SCHEMAS = Set.of("1", SCHEMA_VERSION);

  static final String F_ID = "id";
  static final String F_SCOPE = "scope";
  static final String F_SCOPE_KEY = "scope_key";
  static final String F_EXACT = "exact";
  static final String F_EXACT_KEY = "exact_key";
  static final String F_PROMPT = "prompt";
  static final String F_MODEL = "model";
  static final String F_TENANT = "tenant";
  static final String F_RESPONSE = "response";
  static final String F_CREATED = "created";
  static final String F_VECTOR = "vector";
  static final String F_VECTOR_STORED = "vector_stored";

  /**
   * The extension of the files that hold a segment's 32-bit vectors (Lucene's flat vector
   * format, beside the 8-bit copy the graph is searched with).
   */
  static final String RAW_VECTORS = "vec";

  private final Path path;
  private final StoreOptions options;
  private final Directory directory;
  /** Whether the 32-bit vectors are read with positional reads instead of mapped ({@link #files}). */
  private final boolean rawVectorsRead;
  private final StoreCodec codec;
  /** Replaced by {@link #reopen} after a failure Lucene cannot undo; the searchers with it. */
  private volatile IndexWriter writer;
  private volatile SearcherManager searchers;
  /** The searchers' factory, which walks a search's segments side by side on idle cores. */
  private final SegmentSearch segmentSearch;
  private final Cache<HotKey, HotValue> hot; // null when the hot tier is disabled (0 bytes)
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean compacting = new AtomicBoolean();
  private final IdleCompactor compactor; // null when the store never compacts by itself

  /**
   * How a scope-filtered vector search walks the graph. Lucene's default in this release explores
   * the graph as if unfiltered and skips non-matching nodes; benchmarks may try its filtered
   * (ACORN-style) search instead, which Lucene leaves off by default for its recall.
   */
  private volatile KnnSearchStrategy searchStrategy = KnnSearchStrategy.Hnsw.DEFAULT;

  /**
   * How many candidates the graph search of a store with a segment bound gathers before the best
   * k are kept. Lucene searches each segment for k, so many small segments gather many candidates
   * between them, while a search for only k in one large graph may stop short of the nearest
   * entry. On vectors of real questions (a million, built from MiniLM's vectors of the Quora
   * questions, in one segment, with {@link StoreCodec#GRAPH_NEIGHBOURS} neighbours per node;
   * AnswerStoreBenchmark, gateway/PERFORMANCE.md) 4 candidates found a paraphrase's origin 98.7 %
   * of the time, 6 found it 99.2 % at a p99 of 4.7 ms and 8 found it 99.6 % at 5.5 ms. On random
   * vectors, which no real model gives, one graph fares far worse (with 16 neighbours, 57 % with
   * 4 candidates, 85.5 % with 32). A store without a bound searches each segment for k.
   */
  static final int SEARCH_BREADTH = 6;

  /**
   * How far below a search's floor an index score may be and its candidate still be read and
   * given its exact cosine. The 8-bit vectors' scores differ from the exact cosine by less: with
   * {@code AnswerStoreBenchmark -p floor=0.74 -p checkFloor=true}, none of 9,209 searches of a
   * million real question vectors returned other candidates than without a floor. Float vectors
   * differ by rounding only.
   */
  static final double SCORE_MARGIN = 0.05;

  private volatile int searchBreadth;

  /**
   * A scope with at most this many documents per segment of the index, on average over the
   * segments (counted by Lucene's document frequency of the scope term, so deleted ones not
   * merged away yet count too), and at most {@link #EXACT_MAX} in all, is searched exhaustively
   * instead of through the graphs; see {@link #exactNearest}. Each segment's graph search first quantizes the query for that
   * segment, which costs about as much as comparing a few hundred vectors directly.
   */
  static final int EXACT_PER_SEGMENT = 500;

  /**
   * The most documents an exhaustive search compares. It reads their original 32-bit vectors,
   * which the graph search of a large index never touches, so this bounds what one search can
   * bring into memory (3 MB at 384 dimensions).
   */
  static final int EXACT_MAX = 2_000;

  private volatile int exactPerSegment = EXACT_PER_SEGMENT;

  /**
   * In a segment where a scope holds at most this share of the documents, and at most {@link
   * #SCAN_MAX} of them, its vectors are compared one by one by Lucene's own exact search (on the
   * 8-bit vectors the graph search reads too) instead of through the graph, whose walk then
   * meets mostly other scopes' nodes. On a million vectors of real questions in one segment
   * (AnswerStoreBenchmark, 65,536 queries, 200 scopes) this took a search's p99 from 5.7 to 3.6
   * ms and its p50 from 1.1 to 0.8 ms: scopes of 1,000–5,000 entries took 0.9 ms of CPU at p50
   * scanned against 2.1 ms through the graph. Scanning all of a scope of 20,000 entries took
   * about 3.5 ms, more than the graph, hence the cap.
   */
  static final double SCAN_SHARE = 0.01;

  /** The most documents of a segment that {@link #SCAN_SHARE} lets a search scan. */
  static final int SCAN_MAX = 10_000;

  private volatile double scanShare = SCAN_SHARE;

  /**
   * How many vectors a lookup's graph search compares in a segment, looking for an entry of its
   * scope at or above its floor, before it gives that segment up ({@link FloorCollectorManager};
   * 0: never, as Lucene alone does). On a million vectors of real questions in 18 segments, as
   * Lucene's merges leave a growing store (AnswerStoreBenchmark, floor 0.74, 4 candidates,
   * gateway/PERFORMANCE.md), search p99 was 13.4–14.2 ms without it, and with 2,000 / 1,000 /
   * 750 / 500 it was 9.4–10.0 / 5.3–6.2 / 4.3–4.6 / 3.9–4.5 ms, while the share of paraphrase
   * queries that found the entry they paraphrase fell from 100 % to 99.95 / 99.9 / 99.7 /
   * 99.0 %. Merged into one segment, 750 took p50 from 0.50 to 0.30 ms, left p99 at 2.4–2.8 ms
   * and found 99.0 % of the origins against 99.6 %, so a large segment now gets more ({@link
   * #PATIENCE_DOCS}). Counting only the comparisons since the best entry of the scope last
   * improved, rather than all of them, did worse at every patience tried.
   */
  static final int GRAPH_PATIENCE = 750;

  /**
   * A segment gets at least one comparison of patience per this many documents: a larger graph
   * can need a longer walk to reach the query's neighbourhood. With it, the merged million
   * (patience 2,000) found 99.43 % of the origins against 99.42 % without a floor in the search,
   * at p50 0.35 against 0.52 ms; 18 segments with 6 candidates, walked one after another, searched
   * at p99 4.53, 5.46 and 4.72 ms in three runs, finding 99.4–99.8 %.
   */
  static final int PATIENCE_DOCS = 500;

  private volatile int graphPatience = GRAPH_PATIENCE;

  /** Segments searched by scanning a scope instead of walking the graph, since opening. */
  private final LongAdder scans = new LongAdder();

  /**
   * Segments whose graph search the floor ended and whose result stood where Lucene would have
   * compared every vector of the scope instead ({@link FloorCollectorManager}).
   */
  private final LongAdder floorEnded = new LongAdder();

  /** Segments whose 8-bit vectors an exhaustive search compared ({@link #exactNearest}). */
  private final LongAdder quantizedExact = new LongAdder();

  /**
   * Every index operation with a sequence number up to this one is visible to searchers. Lets
   * concurrent adds share one refresh instead of each opening a reader of its own.
   */
  private volatile long visibleSeqNo = -1;

  private final Object refreshLock = new Object();

  /**
   * Counts completed add batches. A lookup only copies a Lucene hit into the hot tier if no add
   * completed while it ran, so a slow reader can never put back an answer that an add has just
   * replaced (see {@link #rememberLuceneHit}).
   */
  private final AtomicLong completedAdds = new AtomicLong();

  private AnswerStore(
      Path path,
      StoreOptions options,
      Directory directory,
      StoreCodec codec,
      IndexWriter writer,
      SearcherManager searchers,
      SegmentSearch segments,
      LongSupplier nanos) {
    this.path = path;
    this.segmentSearch = segments;
    this.codec = codec;
    this.options = options;
    this.directory = directory;
    this.rawVectorsRead = FilterDirectory.unwrap(directory) instanceof FileSwitchDirectory;
    this.writer = writer;
    this.searchers = searchers;
    this.hot =
        options.hotTierMaxBytes() == 0
            ? null
            : Caffeine.newBuilder()
                .maximumWeight(options.hotTierMaxBytes())
                .<HotKey, HotValue>weigher((k, v) -> v.weight())
                .build();
    this.compactor =
        options.maxSegments() == 0
            ? null
            : new IdleCompactor(this, options.maxSegments(), options.compactAfterIdle(), nanos);
    this.searchBreadth = options.maxSegments() == 0 ? 0 : SEARCH_BREADTH;
  }

  /**
   * Opens the store in {@code directory}, creating it if needed; fails with an {@link
   * IllegalStateException} if the data there was built for another embedding model or dimension,
   * or if another process has it open.
   */
  public static AnswerStore open(Path directory, StoreOptions options) {
    return open(directory, options, StoreCodec.DEFAULT_VECTORS);
  }

  /** Opens the store writing new vectors as {@code vectors}; for benchmarks and tests. */
  static AnswerStore open(Path directory, StoreOptions options, StoreCodec.Vectors vectors) {
    return open(directory, options, new StoreCodec(vectors));
  }

  /** Opens the store writing new segments with {@code codec}; for benchmarks and tests. */
  static AnswerStore open(Path directory, StoreOptions options, StoreCodec codec) {
    return open(directory, options, codec, machineCores());
  }

  /**
   * Opens the store with its segments walked on up to {@code searchCores} threads ({@link
   * SegmentSearch}); for benchmarks and tests.
   */
  static AnswerStore open(Path directory, StoreOptions options, StoreCodec codec,
      int searchCores) {
    AnswerStore store = open(directory, options, codec, System::nanoTime,
        UnaryOperator.identity(), searchCores);
    if (store.compactor != null) {
      store.compactor.start();
    }
    return store;
  }

  /**
   * Opens the store with its idle time read from {@code nanos}, and without starting the timer of
   * its automatic compaction; tests drive that through {@link #compactor()}.
   */
  static AnswerStore open(Path directory, StoreOptions options, StoreCodec.Vectors vectors,
      LongSupplier nanos) {
    return open(directory, options, new StoreCodec(vectors), nanos);
  }

  /**
   * Opens the store with every file written through {@code wrap}'s directory; for tests that
   * make writes fail as a full disk does.
   */
  public static AnswerStore open(Path directory, StoreOptions options,
      UnaryOperator<Directory> wrap) {
    return open(directory, options, new StoreCodec(StoreCodec.DEFAULT_VECTORS), System::nanoTime,
        wrap, machineCores());
  }

  private static AnswerStore open(Path directory, StoreOptions options, StoreCodec codec,
      LongSupplier nanos) {
    return open(directory, options, codec, nanos, UnaryOperator.identity(), machineCores());
  }

  /** The cores a store's searches may walk segments on by default ({@link SegmentSearch}). */
  private static int machineCores() {
    return Runtime.getRuntime().availableProcessors();
  }

  private static AnswerStore open(Path directory, StoreOptions options, StoreCodec codec,
      LongSupplier nanos, UnaryOperator<Directory> wrap, int searchCores) {
    Objects.requireNonNull(directory, "directory must not be null");
    Objects.requireNonNull(options, "options must not be null");
    Path path = directory.toAbsolutePath().normalize();
    Directory dir = null;
    IndexWriter writer = null;
    SegmentSearch segments = new SegmentSearch(searchCores);
    try {
      Files.createDirectories(path);
      // Every add refreshes the searcher, which flushes a tiny segment; keeping those in RAM until
      // a commit syncs them to disk roughly halves the cost of an add. Commits stay durable.
      dir = wrap.apply(new NRTCachingDirectory(files(path, codec.kind()), 4.0, 32.0));
      // Checked before an IndexWriter exists, so a mismatched open touches no file at all.
      if (DirectoryReader.indexExists(dir)) {
        SegmentInfos latest = SegmentInfos.readLatestCommit(dir);
        checkCompatible(path, latest.getUserData(), latest.totalMaxDoc(), options);
      }
      try {
        writer = new IndexWriter(dir, config(codec));
      } catch (LockObtainFailedException e) {
        throw new IllegalStateException(
            "Data directory "
                + path
                + " is in use by another process (its Lucene write.lock is held). Stop the other"
                + " Bound instance or point this one at another data directory.",
            e);
      }
      // Checked again under the lock: another process may have created the index in between.
      Map<String, String> stored = new HashMap<>();
      Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
      if (live != null) {
        live.forEach(e -> stored.put(e.getKey(), e.getValue()));
      }
      checkCompatible(path, stored, writer.getDocStats().maxDoc, options);
      if (!meta(options).equals(stored)) {
        // New (or empty, unlabelled) index: record the model now, so even an index that never
        // receives an entry refuses a different model next time.
        writer.setLiveCommitData(meta(options).entrySet(), true);
        writer.commit();
      }
      SearcherManager searchers = new SearcherManager(writer, segments);
      AnswerStore store =
          new AnswerStore(path, options, dir, codec, writer, searchers, segments, nanos);
      log.info(
          "Opened answer store at {} ({} entries, embedding model {}, dimension {})",
          path,
          store.size(),
          options.embeddingModel(),
          options.dimension());
      return store;
    } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException e) {
      closeQuietly(writer, dir);
      segments.close();
      // Lucene's own words named a file and a footer or format number, not what to do.
      throw new IllegalStateException("The answer index at " + path + " cannot be read: it is "
          + "damaged, or another version of Bound wrote it (" + e.getMessage() + "). Move it "
          + "aside (for example to " + path.getFileName() + ".damaged) and start again: the cache "
          + "starts empty, and the rest of the data directory (documents, journal, ledger) is "
          + "kept", e);
    } catch (IOException e) {
      closeQuietly(writer, dir);
      segments.close();
      throw new UncheckedIOException("Could not open the answer store at " + path, e);
    } catch (RuntimeException | Error e) {
      closeQuietly(writer, dir);
      segments.close();
      throw e;
    }
  }

  private static IndexWriterConfig config(StoreCodec codec) {
    return new IndexWriterConfig()
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        .setCodec(codec)
        // Every add refreshes the searcher; by default each refresh may wait up to 500 ms
        // for merges of the flushed segments. Background merges compact them anyway.
        .setMaxFullFlushMergeWaitMillis(0)
        .setCommitOnClose(true);
  }

  /**
   * The files of the store in {@code path}: memory-mapped, as {@link FSDirectory#open} gives
   * them, except the 32-bit vectors of a store searched through its 8-bit copy ({@link
   * #RAW_VECTORS}), which are read with positional reads.
   *
   * <p>There the search never reads them. Only the candidates a lookup reads back do ({@link
   * #indexedVector}, 1.5 KB each at 384 dimensions), and merges, which read them in order. Mapped,
   * each candidate read also left the cached pages around it (the kernel maps up to 64 KB around
   * a faulting page when they are cached) counted in the process's resident memory: after some
   * 15,000 searches of a million entries, 1 GB of their 1.5 GB of vectors (gateway/PERFORMANCE.md,
   * "The 32-bit vectors read, not mapped"), which the kernel also counts when it picks a process
   * to kill for memory. Read through the page cache instead, they cost a few small reads per candidate and
   * count against nothing but the cache. A store written with 32-bit vectors for search keeps
   * them mapped: its search reads them all the time.
   */
  static Directory files(Path path, StoreCodec.Vectors kind) throws IOException {
    FSDirectory mapped = FSDirectory.open(path);
    if (kind != StoreCodec.Vectors.INT8) {
      return mapped;
    }
    // Both views share the folder; each lists and opens only the files of its own extensions.
    return new FileSwitchDirectory(Set.of(RAW_VECTORS), new NIOFSDirectory(path), mapped, true);
  }

  /**
   * Returns the entry stored for exactly this scope and exact key, from memory if it is hot,
   * otherwise from the index.
   */
  @Override
  public Optional<Entry> exact(String scope, String exactKey) {
    Objects.requireNonNull(scope, "scope must not be null");
    Objects.requireNonNull(exactKey, "exactKey must not be null");
    ensureOpen();
    HotKey key = new HotKey(scope, exactKey);
    if (hot != null) {
      HotValue v = hot.getIfPresent(key);
      if (v != null) {
        return Optional.of(v.entry());
      }
    }
    long addsBefore = completedAdds.get();
    Optional<Entry> found =
        withSearcher(
            s -> {
              int doc = liveDoc(s, new Term(F_EXACT, Keys.exact(scope, exactKey)));
              if (doc < 0) {
                return Optional.<Entry>empty();
              }
              Entry e = toEntry(s.getIndexReader(), s.storedFields(), doc);
              // A hash match alone is not proof; the scope rule must hold by comparison.
              return e.scope().equals(scope) && e.exactKey().equals(exactKey)
                  ? Optional.of(e)
                  : Optional.<Entry>empty();
            });
    found.ifPresent(e -> rememberLuceneHit(key, e, addsBefore));
    return found;
  }

  /**
   * Returns up to {@code k} entries of the same scope whose vectors are nearest to {@code vector},
   * best first, with their cosine similarity; entries without a vector are never returned.
   */
  @Override
  public List<Candidate> nearest(String scope, float[] vector, int k) {
    return nearest(scope, vector, k, Double.NEGATIVE_INFINITY);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A candidate whose index score, read as a cosine, is more than {@link #SCORE_MARGIN} below
   * the floor is dropped before its stored document is read: at a million entries those reads,
   * not the graph, were most of the mapped pages a search touched.
   */
  @Override
  public List<Candidate> nearest(String scope, float[] vector, int k, double floor) {
    Objects.requireNonNull(scope, "scope must not be null");
    Objects.requireNonNull(vector, "vector must not be null");
    float[] target = Vectors.query(vector, options.dimension(), k);
    ensureOpen();
    Term scopeTerm = new Term(F_SCOPE_KEY, Keys.scope(scope));
    // Counted as a search in flight while it runs, an exhaustive one too: either holds a core.
    return withSearcher(s -> segmentSearch.search(
        () -> {
          // Lucene sizes its result queues by k, so a careless huge k must not allocate for it.
          int docs = Math.max(1, s.getIndexReader().numDocs());
          int n = Math.min(k, docs);
          ScoreDoc[] found;
          int inScope = s.getIndexReader().docFreq(scopeTerm);
          if (exactPerSegment > 0 && inScope <= Math.min(EXACT_MAX,
              (long) exactPerSegment * s.getIndexReader().leaves().size())) {
            int wanted = Math.min(n, Math.max(1, inScope));
            found = uninterrupted(() -> exactNearest(s, scopeTerm, target, wanted));
          } else {
            int breadth = Math.min(Math.max(n, searchBreadth), docs);
            float lowest = graphPatience > 0 && Double.isFinite(floor)
                ? scoreFromCosine(floor - SCORE_MARGIN) : Float.NEGATIVE_INFINITY;
            // A caller's interrupt flag must not end the wait for segments walked on the pool.
            found = uninterrupted(() -> s.search(new ScopeQuery(target, breadth,
                new TermQuery(scopeTerm), searchStrategy, scanShare, scans, lowest, graphPatience,
                floorEnded), n).scoreDocs);
          }
          StoredFields stored = s.storedFields();
          List<Candidate> out = new ArrayList<>(found.length);
          for (ScoreDoc sd : found) {
            if (cosineFromScore(sd.score) < floor - SCORE_MARGIN) {
              continue;
            }
            Entry e = toEntry(s.getIndexReader(), stored, sd.doc);
            if (!e.scope().equals(scope)) {
              continue; // only reachable on a SHA-256 collision, but scope isolation is absolute
            }
            // The index may score with quantized vectors; the threshold must see the exact cosine.
            float similarity = e.hasVector() ? cosine(target, e.vectorUnsafe())
                : cosineFromScore(sd.score);
            if (similarity >= floor) {
              out.add(new Candidate(e, similarity));
            }
          }
          out.sort((a, b) -> Double.compare(b.similarity(), a.similarity()));
          return List.copyOf(out);
        }));
  }

  /**
   * The {@code n} entries of a scope nearest {@code target}, found by comparing it with every
   * vector of the scope: for a scope this small that costs less than walking each segment's
   * graph (where most nodes belong to other scopes), and it never misses the nearest entry.
   * Scores are Lucene's DOT_PRODUCT scores, (1 + cosine) / 2, best first.
   *
   * <p>Each segment compares its original 32-bit vectors where they are mapped: quantizing the
   * query for a segment's 8-bit copy costs more than the few comparisons a small scope needs.
   * Where they are read with positional reads ({@link #rawVectorsRead}, in a segment with files
   * of its own, {@link #unmappedRawVectors}), each comparison would cost a few system calls, so
   * the segment compares its 8-bit copy, which its graph search keeps in memory anyway, and is
   * counted in {@link #quantizedExact}. Only the order of near ties can differ; the caller
   * recomputes each candidate's cosine from its original vector.
   */
  private ScoreDoc[] exactNearest(IndexSearcher s, Term scopeTerm, float[] target, int n)
      throws IOException {
    PriorityQueue<ScoreDoc> best = new PriorityQueue<>(n + 1, WORST_FIRST);
    for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
      LeafReader reader = leaf.reader();
      FloatVectorValues vectors = reader.getFloatVectorValues(F_VECTOR);
      PostingsEnum inScope = reader.postings(scopeTerm, PostingsEnum.NONE);
      if (vectors == null || inScope == null) {
        continue;
      }
      VectorScorer quantized = null;
      if (rawVectorsRead && unmappedRawVectors(reader)) {
        quantized = vectors.scorer(target);
        quantizedExact.increment();
      }
      KnnVectorValues.DocIndexIterator raw = quantized == null ? vectors.iterator() : null;
      DocIdSetIterator withVector = quantized != null ? quantized.iterator() : raw;
      Bits live = reader.getLiveDocs();
      for (int doc = inScope.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS;
          doc = inScope.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        int at = withVector.docID() < doc ? withVector.advance(doc) : withVector.docID();
        if (at == DocIdSetIterator.NO_MORE_DOCS) {
          break; // no later document of this segment has a vector
        }
        if (at != doc) {
          continue; // stored while the embedder was shedding: exact hits only
        }
        float score = quantized != null ? quantized.score()
            : Math.max(0f, (1f + VectorUtil.dotProduct(target, vectors.vectorValue(raw.index())))
                / 2f);
        best.add(new ScoreDoc(leaf.docBase + doc, score));
        if (best.size() > n) {
          best.poll();
        }
      }
    }
    ScoreDoc[] out = new ScoreDoc[best.size()];
    for (int i = out.length - 1; i >= 0; i--) {
      out[i] = best.poll();
    }
    return out;
  }

  /**
   * The live document holding {@code term}, or -1: read straight from each segment's postings,
   * the last segment first. Exact keys and ids are unique among live documents ({@code
   * updateDocument} replaces), so which segment is read first does not change the answer. A query finds the same document through
   * a weight, a scorer and a collector besides (6–15 % slower on average in two runs of
   * AnswerStoreBenchmark), and every novel prompt pays this lookup before it goes upstream.
   */
  private static int liveDoc(IndexSearcher s, Term term) throws IOException {
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    for (int i = leaves.size() - 1; i >= 0; i--) {
      LeafReaderContext leaf = leaves.get(i);
      PostingsEnum docs = leaf.reader().postings(term, PostingsEnum.NONE);
      if (docs == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
        if (live == null || live.get(doc)) {
          return leaf.docBase + doc;
        }
      }
    }
    return -1;
  }

  /** Lower score first, and of equal scores the later document first, so polling drops it. */
  private static final Comparator<ScoreDoc> WORST_FIRST =
      Comparator.comparingDouble((ScoreDoc d) -> d.score)
          .thenComparing(Comparator.comparingInt((ScoreDoc d) -> d.doc).reversed());

  /**
   * Stores the entry, replacing any earlier entry with the same scope and exact key; it is
   * findable by {@link #exact} and {@link #nearest} when this returns, durable after {@link
   * #commit}.
   */
  @Override
  public void add(Entry e) {
    addAll(List.of(Objects.requireNonNull(e, "entry must not be null")));
  }

  /**
   * 4,096: each {@link #addAll} ends with a refresh of the searcher, which writes a segment that
   * merges then rewrite, so a flood of answers is best taken in few calls; 4,096 answers are a
   * few megabytes of documents.
   */
  @Override
  public int addLimit() {
    return 4_096;
  }

  /**
   * Stores all entries as {@link #add} does, refreshing the searcher once for the whole batch;
   * nothing is written if any entry is invalid.
   */
  @Override
  public void addAll(List<Entry> entries) {
    Objects.requireNonNull(entries, "entries must not be null");
    for (Entry e : entries) {
      Objects.requireNonNull(e, "entries must not contain null");
    }
    // A snapshot, so the documents and the hot tier see the same entries whatever the caller does.
    List<Entry> batch = List.copyOf(entries);
    // Validate everything first so a bad entry cannot leave half a batch in the index.
    List<Document> docs = new ArrayList<>(batch.size());
    for (Entry e : batch) {
      docs.add(toDocument(e));
    }
    if (docs.isEmpty()) {
      return;
    }
    ensureOpen();
    long[] seqNos;
    try {
      // An add (a miss's answer, a backfill) may meet the writer a full disk closed while reopen
      // swaps it: the whole batch then goes to the new writer, whose numbers the hot tier keeps.
      seqNos = WriterFailure.onCurrent(() -> writer, this, w -> {
        long[] applied = new long[docs.size()];
        for (int i = 0; i < docs.size(); i++) {
          Entry e = batch.get(i);
          Term key = new Term(F_EXACT, Keys.exact(e.scope(), e.exactKey()));
          applied[i] = w.updateDocument(key, docs.get(i));
        }
        return applied;
      });
      refreshToInclude(seqNos[seqNos.length - 1]);
      wrote();
    } catch (IOException | AlreadyClosedException ex) {
      throw writeException("Could not add to the answer store at " + path, ex);
    } finally {
      completedAdds.incrementAndGet();
    }
    if (hot != null) {
      for (int i = 0; i < docs.size(); i++) {
        Entry e = batch.get(i);
        long seqNo = seqNos[i];
        HotValue v = new HotValue(e, seqNo, weigh(e));
        // Lucene sequence numbers order the updates as the index applied them, so when two
        // threads replace the same key at once the hot tier keeps the one the index kept.
        hot.asMap()
            .compute(
                new HotKey(e.scope(), e.exactKey()),
                (k, old) -> old == null || old.seqNo() < seqNo ? v : old);
      }
    }
  }

  /**
   * Removes this entry, found by its id, if it is still stored; neither tier finds it when this
   * returns. For entries whose stored answer can no longer be read.
   */
  @Override
  public void remove(Entry e) {
    Objects.requireNonNull(e, "entry must not be null");
    ensureOpen();
    Term id = new Term(F_ID, e.id());
    try {
      // A removal (an admin's, an eviction) may meet the writer a full disk closed while reopen
      // swaps it: once the swap is over, it is tried once on the writer that replaced it.
      long seqNo = WriterFailure.onCurrent(() -> writer, this, w -> w.deleteDocuments(id));
      refreshToInclude(seqNo);
      wrote();
    } catch (IOException | AlreadyClosedException ex) {
      throw writeException("Could not remove from the answer store at " + path, ex);
    } finally {
      completedAdds.incrementAndGet();
    }
    if (hot != null) {
      hot.asMap().computeIfPresent(new HotKey(e.scope(), e.exactKey()),
          (k, v) -> v.entry().id().equals(e.id()) ? null : v);
    }
  }

  /** Returns the entry with this id, if any. */
  @Override
  public Optional<Entry> get(String id) {
    Objects.requireNonNull(id, "id must not be null");
    ensureOpen();
    return withSearcher(
        s -> {
          int doc = liveDoc(s, new Term(F_ID, id));
          return doc < 0 ? Optional.<Entry>empty()
              : Optional.of(toEntry(s.getIndexReader(), s.storedFields(), doc));
        });
  }

  /**
   * Entries newest first, for browsing: those of {@code model} and {@code tenant} when given
   * (null for any), created at or after {@code sinceMillis}, whose prompt contains {@code text}
   * (case-insensitive; null for any). At most {@code limit} are returned, and at most
   * {@code scanLimit} of the newest matching entries are read to find them.
   */
  @Override
  public List<Entry> browse(String text, String model, String tenant, long sinceMillis, int limit,
      int scanLimit) {
    ensureOpen();
    if (limit < 1 || scanLimit < 1) {
      throw new IllegalArgumentException("limit and scanLimit must be at least 1");
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    q.add(LongPoint.newRangeQuery(F_CREATED, sinceMillis, Long.MAX_VALUE),
        BooleanClause.Occur.FILTER);
    if (model != null) {
      q.add(new TermQuery(new Term(F_MODEL, model)), BooleanClause.Occur.FILTER);
    }
    if (tenant != null) {
      q.add(new TermQuery(new Term(F_TENANT, tenant)), BooleanClause.Occur.FILTER);
    }
    Sort newest = new Sort(new SortField(F_CREATED, SortField.Type.LONG, true));
    return withSearcher(
        s -> {
          TopDocs top = s.search(q.build(), scanLimit, newest);
          BrowseFilter filter = new BrowseFilter(text, limit);
          StoredFields stored = s.storedFields();
          for (ScoreDoc sd : top.scoreDocs) {
            if (!filter.offer(toEntry(s.getIndexReader(), stored, sd.doc))) {
              break;
            }
          }
          return filter.kept();
        });
  }

  @Override
  public List<String> withoutVector(int limit) {
    ensureOpen();
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    Query q = new BooleanQuery.Builder()
        .add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
        .add(new FieldExistsQuery(F_VECTOR), BooleanClause.Occur.MUST_NOT)
        .build();
    Sort newest = new Sort(new SortField(F_CREATED, SortField.Type.LONG, true));
    return withSearcher(
        s -> {
          TopDocs top = s.search(q, limit, newest);
          StoredFields stored = s.storedFields();
          List<String> ids = new ArrayList<>(top.scoreDocs.length);
          for (ScoreDoc sd : top.scoreDocs) {
            ids.add(stored.document(sd.doc, Set.of(F_ID)).get(F_ID));
          }
          return ids;
        });
  }

  /** Returns the number of live entries, including those added but not yet committed. */
  @Override
  public long size() {
    ensureOpen();
    return withSearcher(s -> (long) s.getIndexReader().numDocs());
  }

  /** Returns the number of index segments the searcher sees; each is searched on its own. */
  @Override
  public int segments() {
    ensureOpen();
    return withSearcher(s -> s.getIndexReader().leaves().size());
  }

  /**
   * Merges the index down to at most {@code maxSegments} segments and commits. Every segment has
   * its own HNSW graph, so a vector search walks all of them; at a million entries one segment
   * instead of eighteen made the search several times faster ({@code AnswerStoreBenchmark}). The
   * merge rewrites the index and takes minutes at that size; adds and searches go on meanwhile,
   * and the merged segment becomes visible when it is done. Call it off the request path; a store
   * opened with {@link StoreOptions#maxSegments()} above 0 calls it itself once it is quiet.
   *
   * @throws IllegalArgumentException if {@code maxSegments} is less than 1
   */
  @Override
  public void compact(int maxSegments) {
    if (maxSegments < 1) {
      throw new IllegalArgumentException("maxSegments must be at least 1, got " + maxSegments);
    }
    ensureOpen();
    if (!compacting.compareAndSet(false, true)) {
      throw new IllegalStateException("a compaction of " + path + " is already running");
    }
    try {
      writer.forceMerge(maxSegments);
      writer.commit();
      synchronized (refreshLock) {
        searchers.maybeRefreshBlocking();
      }
    } catch (IOException e) {
      if (closed.get()) {
        throw closedException(new AlreadyClosedException("closed during compaction", e));
      }
      throw new UncheckedIOException("Could not compact the answer store at " + path, e);
    } catch (AlreadyClosedException e) {
      throw closedException(e);
    } finally {
      compacting.set(false);
    }
  }

  /** Whether {@link #compact} is running. */
  boolean compacting() {
    return compacting.get();
  }

  /**
   * Uses Lucene's filtered graph search when at most {@code percent} of the documents match the
   * scope (0, the default, never); for benchmarks.
   */
  void filteredSearchThreshold(int percent) {
    searchStrategy = new KnnSearchStrategy.Hnsw(percent);
  }

  /**
   * Searches a scope exhaustively when it has at most this many documents per segment of the
   * index on average, and at most {@link #EXACT_MAX}; for benchmarks and tests (0: never).
   */
  void exactPerSegment(int documents) {
    exactPerSegment = documents;
  }

  /**
   * Replaces {@link #GRAPH_PATIENCE}; for benchmarks and tests (0: the search ignores
   * the floor).
   */
  void graphPatience(int vectors) {
    graphPatience = vectors;
  }

  /** Replaces {@link #SCAN_SHARE}; for benchmarks and tests (0: never scan). */
  void scanShare(double share) {
    scanShare = share;
  }

  /**
   * Segments whose search the floor ended, where Lucene would have compared every vector; for
   * tests.
   */
  long floorEnded() {
    return floorEnded.sum();
  }

  /** Segments searched by scanning a scope since the store opened; for tests. */
  long scans() {
    return scans.sum();
  }

  /** Segments whose 8-bit copy an exhaustive search compared since opening; for tests. */
  long quantizedExact() {
    return quantizedExact.sum();
  }

  /**
   * The vector search of one scope: through each segment's graph, or, in a segment where the
   * scope holds at most {@code scanShare} of the documents and at most {@link #SCAN_MAX}, by
   * Lucene's exact search over the scope's vectors (reporting the graph search as incomplete is
   * how Lucene is told to fall back to it).
   */
  private static final class ScopeQuery extends KnnFloatVectorQuery {
    private final double scanShare;
    private final LongAdder scans;
    private final float lowestScore;
    private final int patience;
    private final LongAdder floorEnded;
    /**
     * Graph searches of a leaf that the floor's collector ended ({@link FloorCollectorManager});
     * null without a floor.
     */
    private final Map<LeafReaderContext, TopDocs> completedAtFloor;

    ScopeQuery(float[] target, int k, Query filter, KnnSearchStrategy strategy,
        double scanShare, LongAdder scans, float lowestScore, int patience,
        LongAdder floorEnded) {
      super(F_VECTOR, target, k, filter, strategy);
      this.floorEnded = floorEnded;
      this.scanShare = scanShare;
      this.scans = scans;
      this.lowestScore = lowestScore;
      this.patience = patience;
      this.completedAtFloor =
          lowestScore == Float.NEGATIVE_INFINITY ? null : new ConcurrentHashMap<>();
    }

    @Override
    protected TopDocs approximateSearch(LeafReaderContext context, AcceptDocs acceptDocs,
        int visitedLimit, KnnCollectorManager collectors) throws IOException {
      int inScope = acceptDocs.cost();
      if (inScope <= SCAN_MAX && inScope <= scanShare * context.reader().maxDoc()) {
        scans.increment();
        return new TopDocs(new TotalHits(0, TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO),
            new ScoreDoc[0]);
      }
      if (completedAtFloor == null) {
        return super.approximateSearch(context, acceptDocs, visitedLimit, collectors);
      }
      FloorCollectorManager floored = new FloorCollectorManager(collectors, lowestScore, patience);
      TopDocs found = super.approximateSearch(context, acceptDocs, visitedLimit, floored);
      if (floored.endedByFloor()) {
        completedAtFloor.put(context, found);
      } else {
        completedAtFloor.remove(context); // a later walk of this leaf that the floor did not end
      }
      return found;
    }

    /**
     * Lucene takes a graph search that gathered fewer than k entries, or that its collector
     * ended, for a failed one and compares every vector of the scope instead; under a floor
     * both are the expected outcome (only the entries above it were wanted), so the graph's
     * result stands. A search stopped by Lucene's own visit limit, or a scope sent to the scan
     * above, still gets Lucene's exact search.
     */
    @Override
    protected TopDocs exactSearch(LeafReaderContext context, DocIdSetIterator acceptIterator,
        QueryTimeout timeout) throws IOException {
      TopDocs graph = completedAtFloor == null ? null : completedAtFloor.remove(context);
      if (graph == null) {
        return super.exactSearch(context, acceptIterator, timeout);
      }
      floorEnded.increment();
      return graph;
    }
  }

  /**
   * The collectors of one leaf's walk ({@link ScopeQuery#approximateSearch} makes one per walk),
   * which stop it once it cannot find anything above the lookup's floor. Unbounded, a search
   * with a scope gathers the k nearest entries of that scope however far below the floor they
   * lie: where the scope is unrelated to the vectors (a tenant's, a
   * model's), those are far away, and at a million entries walking to them took thousands of
   * comparisons in every segment, most of a lookup's cost (AnswerStoreBenchmark). Each collector
   * works in two phases:
   *
   * <ol>
   *   <li>Until it is offered an entry of the scope at or above the floor, it lets the walk go on
   *       as Lucene's would, for at most {@code patience} vectors compared ({@link
   *       #GRAPH_PATIENCE}, or one per {@link #PATIENCE_DOCS} documents of a larger segment);
   *       then it reports the search as ended. The walk must be free here: it starts where the
   *       sparse upper layers of the graph left it, often below the floor, and has to cross
   *       lower ground to reach the query's neighbourhood.
   *   <li>Once it has such an entry, it is in that neighbourhood, and it tells the walk that
   *       nothing under the floor is wanted ({@code minCompetitiveSimilarity}): Lucene's search
   *       expands only neighbours that score above it, so the walk ends where the graph leaves
   *       the floor's neighbourhood.
   * </ol>
   *
   * <p>Either way a segment's search may end with fewer than k entries, which Lucene takes for a
   * failed graph search and answers by comparing every vector of the scope; {@link ScopeQuery}
   * keeps the graph's result instead. Only a search stopped by Lucene's own visit limit still
   * goes to that exact search.
   */
  private static final class FloorCollectorManager implements KnnCollectorManager {
    private final KnnCollectorManager delegate;
    private final float lowestScore;
    private final int patience;
    /** The collector of the leaf's walk, for {@link ScopeQuery} to ask how it ended. */
    private Floored made;

    FloorCollectorManager(KnnCollectorManager delegate, float lowestScore, int patience) {
      this.delegate = delegate;
      this.lowestScore = lowestScore;
      this.patience = patience;
    }

    @Override
    public KnnCollector newCollector(int visitLimit, KnnSearchStrategy strategy,
        LeafReaderContext context) throws IOException {
      return floored(delegate.newCollector(visitLimit, strategy, context), context);
    }

    @Override
    public KnnCollector newOptimisticCollector(int visitLimit, KnnSearchStrategy strategy,
        LeafReaderContext context, int k) throws IOException {
      return floored(delegate.newOptimisticCollector(visitLimit, strategy, context, k), context);
    }

    @Override
    public boolean isOptimistic() {
      return delegate.isOptimistic();
    }

    /** Whether the leaf's walk ended by the floor rather than by Lucene's visit limit. */
    boolean endedByFloor() {
      return made != null && !made.stoppedByLucene();
    }

    private KnnCollector floored(KnnCollector collector, LeafReaderContext context) {
      if (collector == null) {
        return null;
      }
      // A larger graph may need a longer walk to reach the query's neighbourhood.
      int leafPatience = Math.max(patience, context.reader().maxDoc() / PATIENCE_DOCS);
      made = new Floored(collector, lowestScore, leafPatience);
      return made;
    }
  }

  /** The collector of a {@link FloorCollectorManager}. */
  private static final class Floored extends KnnCollector.Decorator {
    private final float lowestScore;
    private final int patience;
    private boolean nearFloor;

    Floored(KnnCollector collector, float lowestScore, int patience) {
      super(collector);
      this.lowestScore = lowestScore;
      this.patience = patience;
    }

    @Override
    public boolean collect(int docId, float similarity) {
      nearFloor |= similarity >= lowestScore;
      return super.collect(docId, similarity);
    }

    @Override
    public float minCompetitiveSimilarity() {
      float lucene = super.minCompetitiveSimilarity();
      return nearFloor ? Math.max(lowestScore, lucene) : lucene;
    }

    @Override
    public boolean earlyTerminated() {
      return super.earlyTerminated() || (!nearFloor && visitedCount() > patience);
    }

    /** Whether Lucene's own visit limit ended the search. */
    boolean stoppedByLucene() {
      return collector.earlyTerminated();
    }
  }

  /** Segments a search walked on another thread than its own ({@link SegmentSearch}). */
  long segmentsHandedOver() {
    return segmentSearch.handedOver();
  }

  /** Gathers at least this many candidates in the graph search; for benchmarks. */
  void searchBreadth(int candidates) {
    searchBreadth = candidates;
  }

  /** Whether {@link #close} was called. */
  boolean isClosed() {
    return closed.get();
  }

  /** The automatic compaction, or null when {@link StoreOptions#maxSegments()} is 0; for tests. */
  IdleCompactor compactor() {
    return compactor;
  }

  private void wrote() {
    if (compactor != null) {
      compactor.wrote();
    }
  }

  /**
   * Once Lucene has met a failure it cannot undo (a write that found the disk full, the lock file
   * removed with the data directory), the writer is closed until {@link #reopen} opens a new one:
   * answers fail to be stored meanwhile while searches still work, so the store looked healthy.
   */
  @Override
  public Optional<String> writeFailure() {
    if (closed.get()) {
      return Optional.empty();
    }
    return WriterFailure.of(writer).map(why -> "the answer index at " + path
        + " cannot be written (" + why
        + "); new answers wait in the journal and are stored once it can be opened again");
  }

  /** Makes every entry added so far durable; safe to call from any thread while adds happen. */
  @Override
  public void commit() {
    ensureOpen();
    try {
      writer.commit();
    } catch (IOException | AlreadyClosedException e) {
      throw writeException("Could not commit the answer store at " + path, e);
    }
  }

  /**
   * Opens a new writer on the index after one closed by a failure Lucene cannot undo (see {@link
   * #writeFailure}), when the disk takes writes again; true when the store takes answers. What
   * the old writer had not committed is gone: the caller adds it again from its journal.
   */
  @Override
  public synchronized boolean reopen() {
    ensureOpen();
    if (writer.getTragicException() == null) {
      return true;
    }
    Optional<WriterFailure.Reopened> fresh = WriterFailure.reopened(directory, config(codec),
        w -> w.setLiveCommitData(w.getLiveCommitData(), true), segmentSearch);
    if (fresh.isEmpty()) {
      log.debug("The answer index at {} cannot be opened for writing yet", path);
      return false;
    }
    SearcherManager stale = searchers;
    synchronized (refreshLock) {
      writer = fresh.get().writer();
      searchers = fresh.get().searchers();
      visibleSeqNo = -1; // the new writer numbers its operations afresh
    }
    if (hot != null) {
      hot.invalidateAll(); // it may hold answers the old writer lost, with its numbers
    }
    IOUtils.closeWhileHandlingException(stale);
    return true;
  }

  /** What a failed write throws: unavailable while a failure Lucene cannot undo holds it. */
  private RuntimeException writeException(String what, Exception e) {
    Optional<String> why = writeFailure();
    if (why.isPresent()) {
      return new StorageUnavailableException(why.get(), e);
    }
    if (e instanceof AlreadyClosedException closedEx) {
      return closedException(closedEx);
    }
    return new UncheckedIOException(what, (IOException) e);
  }

  /** Commits and releases the index and its lock; calling it again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (compactor != null) {
      compactor.close();
    }
    try {
      if (compacting.get()) {
        // Closing would wait for the merge, minutes at a million entries: commit what was added,
        // then roll back, which abandons the merge and keeps the index as it was before it.
        searchers.close();
        writer.commit();
        writer.rollback();
        directory.close();
        log.info("Compaction of {} abandoned at close; the index keeps its segments", path);
      } else {
        // The writer commits on close; searchers go first so no new reader is opened on it.
        IOUtils.close(searchers, writer, directory);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not close the answer store at " + path, e);
    } finally {
      segmentSearch.close();
      if (hot != null) {
        hot.invalidateAll();
      }
    }
    log.info("Closed answer store at {}", path);
  }

  // ---------------------------------------------------------------------------------------------

  private static void checkCompatible(
      Path path, Map<String, String> stored, long docs, StoreOptions options) {
    String model = stored.get(META_MODEL);
    String dimension = stored.get(META_DIMENSION);
    String schema = stored.get(META_SCHEMA);
    if (model == null && dimension == null && schema == null) {
      if (docs > 0) {
        throw new IllegalStateException(
            "Data directory "
                + path
                + " holds a Lucene index that does not record which embedding model built it;"
                + " use another data directory.");
      }
      return; // empty and unlabelled: safe to adopt
    }
    if (!READABLE_SCHEMAS.contains(schema)) {
      throw new IllegalStateException(
          "Data directory "
              + path
              + " holds an answer index with layout version "
              + schema
              + " but this build reads versions "
              + String.join(" and ", new TreeSet<>(READABLE_SCHEMAS))
              + "; use another data directory.");
    }
    if (!options.embeddingModel().equals(model)
        || !String.valueOf(options.dimension()).equals(dimension)) {
      throw new IllegalStateException(
          "Data directory "
              + path
              + " was built with embedding model '"
              + model
              + "' (dimension "
              + dimension
              + "), but the configured embedding model is '"
              + options.embeddingModel()
              + "' (dimension "
              + options.dimension()
              + "). Vectors from different models cannot be compared; use another data directory"
              + " for this model. The existing data was left untouched.");
    }
  }

  private static Map<String, String> meta(StoreOptions options) {
    return Map.of(
        META_MODEL, options.embeddingModel(),
        META_DIMENSION, String.valueOf(options.dimension()),
        META_SCHEMA, SCHEMA_VERSION);
  }

  private Document toDocument(Entry e) {
    Document d = new Document();
    d.add(new StringField(F_ID, e.id(), Field.Store.YES));
    d.add(new StoredField(F_SCOPE, e.scope()));
    d.add(new StringField(F_SCOPE_KEY, Keys.scope(e.scope()), Field.Store.NO));
    d.add(new StringField(F_EXACT, Keys.exact(e.scope(), e.exactKey()), Field.Store.YES));
    d.add(new StoredField(F_EXACT_KEY, e.exactKey()));
    d.add(new StoredField(F_PROMPT, e.prompt()));
    d.add(new StringField(F_MODEL, e.model(), Field.Store.YES));
    d.add(new StringField(F_TENANT, e.tenant(), Field.Store.YES));
    d.add(new StoredField(F_RESPONSE, e.response()));
    d.add(new StoredField(F_CREATED, e.createdMillis()));
    d.add(new LongPoint(F_CREATED, e.createdMillis()));
    d.add(new NumericDocValuesField(F_CREATED, e.createdMillis()));
    if (e.hasVector()) {
      float[] v = e.vectorUnsafe();
      float[] indexed = Vectors.entryIndexed(e, options.dimension());
      d.add(new KnnFloatVectorField(F_VECTOR, indexed, VectorSimilarityFunction.DOT_PRODUCT));
      if (indexed != v) {
        // The caller's original, not the normalised copy, so get() returns exactly what was
        // added. A vector already of unit length is indexed as it is and read back from there:
        // storing it again would be 1.5 KB of every stored answer at 384 dimensions.
        d.add(new StoredField(F_VECTOR_STORED, Vectors.toBytes(v)));
      }
    }
    return d;
  }

  private static Entry toEntry(IndexReader reader, StoredFields stored, int doc)
      throws IOException {
    Document d = stored.document(doc);
    BytesRef vec = d.getBinaryValue(F_VECTOR_STORED);
    IndexableField created = d.getField(F_CREATED);
    return new Entry(
        d.get(F_ID),
        d.get(F_SCOPE),
        d.get(F_EXACT_KEY),
        d.get(F_PROMPT),
        vec != null ? Vectors.fromBytes(vec.bytes, vec.offset, vec.length)
            : indexedVector(reader, doc),
        d.get(F_MODEL),
        d.get(F_RESPONSE),
        created.numericValue().longValue(),
        d.get(F_TENANT) == null ? "" : d.get(F_TENANT));
  }

  /**
   * Whether this segment's 32-bit vectors sit in a file of their own, which {@link #files} reads
   * with positional reads in a store searched through 8-bit vectors; a compound segment (the
   * small ones) keeps them inside its compound file, which is mapped.
   */
  private static boolean unmappedRawVectors(LeafReader reader) {
    return FilterLeafReader.unwrap(reader) instanceof SegmentReader segment
        && !segment.getSegmentInfo().info.getUseCompoundFile();
  }

  /**
   * The vector indexed for {@code doc} (the original 32-bit floats, which Lucene keeps beside
   * their 8-bit copy), or null when it has none: stored while the embedder was shedding.
   */
  private static float[] indexedVector(IndexReader reader, int doc) throws IOException {
    return uninterrupted(() -> {
      List<LeafReaderContext> leaves = reader.leaves();
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
      FloatVectorValues values = leaf.reader().getFloatVectorValues(F_VECTOR);
      if (values == null) {
        return null;
      }
      int local = doc - leaf.docBase;
      KnnVectorValues.DocIndexIterator it = values.iterator();
      if (it.advance(local) != local) {
        return null;
      }
      return values.vectorValue(it.index()).clone();
    });
  }

  /**
   * Runs {@code read} with the thread's interrupt flag cleared, and sets it again after. {@link
   * #files} may read the 32-bit vectors through a {@code FileChannel}, and the JDK closes a
   * channel that an interrupted thread reads from, for every reader of the segment until it is
   * opened again; lookups must not fail because some caller was interrupted.
   */
  private static <T> T uninterrupted(IOSupplier<T> read) throws IOException {
    boolean interrupted = Thread.interrupted();
    try {
      return read.get();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Returns once a searcher that includes operation {@code seqNo} is current. A thread that finds
   * another thread's refresh already covered its write returns at once, which matters when many
   * threads add at once: each refresh flushes a segment, and one per add would be many tiny ones.
   */
  private void refreshToInclude(long seqNo) throws IOException {
    if (visibleSeqNo >= seqNo) {
      return;
    }
    synchronized (refreshLock) {
      if (visibleSeqNo >= seqNo) {
        return;
      }
      // Read before refreshing: the new reader holds at least every operation completed by now.
      long covered = writer.getMaxCompletedSequenceNumber();
      searchers.maybeRefreshBlocking();
      visibleSeqNo = Math.max(visibleSeqNo, covered);
    }
  }

  /** Cosine of a unit vector and any non-zero vector of the same dimension, clamped to [-1, 1]. */
  static float cosine(float[] unit, float[] v) {
    double dot = 0;
    double norm = 0;
    for (int i = 0; i < unit.length; i++) {
      dot += (double) unit[i] * v[i];
      norm += (double) v[i] * v[i];
    }
    return (float) Math.max(-1, Math.min(1, dot / Math.sqrt(norm)));
  }

  /** The Lucene DOT_PRODUCT score of a cosine, (1 + cosine) / 2; see {@link #cosineFromScore}. */
  static float scoreFromCosine(double cosine) {
    return (float) ((1 + cosine) / 2);
  }

  /** Lucene scores DOT_PRODUCT as (1 + dot) / 2; undo that and clamp away float rounding. */
  static float cosineFromScore(float score) {
    return Math.max(-1f, Math.min(1f, 2f * score - 1f));
  }

  /**
   * Copies a Lucene hit into the hot tier unless an add completed since the lookup began: that add
   * may have replaced this very entry, and its own hot-tier write must not be overwritten.
   */
  private void rememberLuceneHit(HotKey key, Entry e, long addsBefore) {
    if (hot == null) {
      return;
    }
    HotValue v = new HotValue(e, -1, weigh(e));
    hot.asMap()
        .compute(key, (k, old) -> old != null ? old : completedAdds.get() == addsBefore ? v : null);
  }

  /** Roughly the heap an entry holds: two bytes per char of text, plus the vector and overhead. */
  static int weigh(Entry e) {
    long bytes = 2L * (e.prompt().length() + e.response().length()) + 128;
    if (e.hasVector()) {
      bytes += 4L * e.vectorUnsafe().length;
    }
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }

  private <T> T withSearcher(SearcherCall<T> call) {
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
      throw new UncheckedIOException("Could not read the answer store at " + path, e);
    } finally {
      try {
        searchers.release(s);
      } catch (IOException e) {
        log.warn("Could not release a searcher of the answer store at {}", path, e);
      }
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("The answer store at " + path + " is closed");
    }
  }

  private IllegalStateException closedException(AlreadyClosedException cause) {
    return new IllegalStateException("The answer store at " + path + " is closed", cause);
  }

  private static void closeQuietly(IndexWriter writer, Directory dir) {
    if (writer != null) {
      try {
        // Never commit on a failed open: whatever is on disk stays exactly as it was.
        writer.rollback();
      } catch (IOException | RuntimeException ignored) {
        // already failing; the original exception is the one worth reporting
      }
    }
    IOUtils.closeWhileHandlingException(dir);
  }

  @FunctionalInterface
  private interface SearcherCall<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  /** Hot-tier key; a record so scope and exact key are compared, not a hash of them. */
  record HotKey(String scope, String exactKey) {}

  /** Hot-tier value with the Lucene sequence number of the write that produced it (-1 if read). */
  record HotValue(Entry entry, long seqNo, int weight) {}
}
