package dev.bound.gateway;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.FilterIndexOutput;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * A directory where creating a file, or writing to one, fails with the operating system's words
 * while {@code full} is set: a disk cannot be filled in a test without root.
 */
public final class FullDisk extends FilterDirectory {
  private final AtomicBoolean full;

  public FullDisk(Directory in, AtomicBoolean full) {
    super(in);
    this.full = full;
  }

  private void check() throws IOException {
    if (full.get()) {
      throw new IOException("No space left on device");
    }
  }

  @Override
  public IndexOutput createOutput(String name, IOContext context) throws IOException {
    check();
    return failing(in.createOutput(name, context));
  }

  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context)
      throws IOException {
    check();
    return failing(in.createTempOutput(prefix, suffix, context));
  }

  private IndexOutput failing(IndexOutput out) {
    return new FilterIndexOutput("full disk", out.getName(), out) {
      @Override
      public void writeByte(byte b) throws IOException {
        check();
        out.writeByte(b);
      }

      @Override
      public void writeBytes(byte[] b, int offset, int length) throws IOException {
        check();
        out.writeBytes(b, offset, length);
      }
    };
  }
}
