package dev.bound.index;

import java.io.IOException;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * The default codec with its vector dimension limit raised from Lucene's 1024 to {@link
 * StoreOptions#MAX_DIMENSION}, so larger embedding models can be indexed.
 *
 * <p>It keeps the default codec's name and writes the stock HNSW format's name, so the files it
 * writes are ordinary Lucene files: readers (including a plain DirectoryReader) resolve both
 * through SPI and never need this class. The limit is only checked while indexing.
 */
final class StoreCodec extends FilterCodec {

  private final KnnVectorsFormat vectors;

  StoreCodec() {
    super(Codec.getDefault().getName(), Codec.getDefault());
    KnnVectorsFormat wide = new WideHnswFormat(new Lucene99HnswVectorsFormat());
    this.vectors =
        new PerFieldKnnVectorsFormat() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return wide;
          }
        };
  }

  @Override
  public KnnVectorsFormat knnVectorsFormat() {
    return vectors;
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
