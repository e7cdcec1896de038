package dev.bound.index;

import java.io.IOException;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.PostingsFormat;
import org.apache.lucene.codecs.bloom.BloomFilteringPostingsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldPostingsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * The default codec with its vector dimension limit raised from Lucene's 1024 to {@link
 * StoreOptions#MAX_DIMENSION}, so larger embedding models can be indexed, and its HNSW graph
 * built over 8-bit scalar-quantized vectors ({@link Lucene104HnswScalarQuantizedVectorsFormat}).
 *
 * <p>Quantized vectors take a quarter of the memory a search touches (at a million entries about
 * 390 MB instead of 1.5 GB) and are faster to compare; their scores are approximate, so {@link
 * AnswerStore#nearest} recomputes each candidate's cosine from the stored original vector, and
 * only which candidates are found, never their similarity, depends on quantization. Segments
 * written by the plain float format earlier stay readable and are rewritten as they merge.
 *
 * <p>The two fields looked up by a single term, the exact key and the id, have a Bloom filter
 * beside their terms ({@link BloomFilteringPostingsFormat}, from {@code lucene-codecs}). Every
 * request that is not an exact repeat looks its key up in each segment, newest first, before it
 * goes on; without the filter each lookup loads and decompresses a block of that segment's terms
 * to learn that the key is not there, and under a flood of novel prompts the young segments are
 * many. Deletes by key when an answer is replaced take the same path.
 *
 * <p>It keeps the default codec's name and writes the stock HNSW format's name and Lucene's Bloom
 * format's name, so the files it writes are ordinary Lucene files: readers (including a plain
 * DirectoryReader with {@code lucene-codecs} on the class path) resolve them through SPI and never
 * need this class, and segments written before the filter stay readable and get one as they
 * merge. The limit is only checked while indexing.
 */
final class StoreCodec extends FilterCodec {

  private final KnnVectorsFormat vectors;
  private final PostingsFormat postings;
  private final Vectors kind;

  /** How the vectors of the HNSW graph are kept. */
  enum Vectors {
    /** 32-bit floats, as given. */
    FLOAT32,
    /** 8-bit scalar-quantized, with the floats kept beside them for merging. */
    INT8
  }

  static final Vectors DEFAULT_VECTORS = Vectors.INT8;

  /**
   * Neighbours each node of the HNSW graph keeps (Lucene's default is 16; its bottom layer keeps
   * twice this many). On a million vectors of real questions in one segment, 32 found a
   * paraphrase's origin as often with 6 candidates gathered as 16 did with 8 (99.2 %), at a
   * lower p99 (4.70 against 5.16 ms), for a graph file 15 % larger and a merge 9 % longer
   * (AnswerStoreBenchmark, gateway/PERFORMANCE.md). Each segment records its own, so segments
   * written with another stay readable and take this one when they are merged.
   */
  static final int GRAPH_NEIGHBOURS = 32;
  /** Candidates weighed while a node is added to the graph: Lucene's default. */
  static final int GRAPH_BEAM_WIDTH = 100;

  StoreCodec() {
    this(DEFAULT_VECTORS);
  }

  StoreCodec(Vectors kind) {
    this(kind, true);
  }

  /** As above; {@code keyFilter} false writes the key fields without their Bloom filter. */
  StoreCodec(Vectors kind, boolean keyFilter) {
    super(Codec.getDefault().getName(), Codec.getDefault());
    this.kind = kind;
    this.postings = keyFilter ? keyFiltered(delegate.postingsFormat())
        : delegate.postingsFormat();
    KnnVectorsFormat wide = new WideHnswFormat(kind == Vectors.INT8
        ? new Lucene104HnswScalarQuantizedVectorsFormat(GRAPH_NEIGHBOURS, GRAPH_BEAM_WIDTH)
        : new Lucene99HnswVectorsFormat(GRAPH_NEIGHBOURS, GRAPH_BEAM_WIDTH));
    this.vectors =
        new PerFieldKnnVectorsFormat() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return wide;
          }
        };
  }

  /** How this codec writes the vectors of new segments. */
  Vectors kind() {
    return kind;
  }

  @Override
  public KnnVectorsFormat knnVectorsFormat() {
    return vectors;
  }

  @Override
  public PostingsFormat postingsFormat() {
    return postings;
  }

  /** {@code plain} with a Bloom filter on the two key fields, and as it is for the others. */
  private static PostingsFormat keyFiltered(PostingsFormat plain) {
    PerFieldPostingsFormat perField = plain instanceof PerFieldPostingsFormat p ? p : null;
    PostingsFormat keys = new BloomFilteringPostingsFormat(
        perField == null ? plain : perField.getPostingsFormatForField(AnswerStore.F_EXACT));
    return new PerFieldPostingsFormat() {
      @Override
      public PostingsFormat getPostingsFormatForField(String field) {
        if (field.equals(AnswerStore.F_EXACT) || field.equals(AnswerStore.F_ID)) {
          return keys;
        }
        return perField == null ? plain : perField.getPostingsFormatForField(field);
      }
    };
  }

  /** Delegates everything to the HNSW format except the dimension limit. */
  static final class WideHnswFormat extends KnnVectorsFormat {
    private final KnnVectorsFormat delegate;

    WideHnswFormat(KnnVectorsFormat delegate) {
      super(delegate.getName());
      this.delegate = delegate;
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
      return delegate.fieldsWriter(state);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
      return delegate.fieldsReader(state);
    }

    @Override
    public int getMaxDimensions(String fieldName) {
      return StoreOptions.MAX_DIMENSION;
    }

    @Override
    public String toString() {
      return "WideHnswFormat(" + delegate + ")";
    }
  }
}
