package dev.bound.index.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One numbered file of the journal, and how many of its entries are not yet indexed. */
final class Segment {
  private static final Logger LOG = LoggerFactory.getLogger(Segment.class);
  private static final String PREFIX = "answers-";
  private static final String SUFFIX = ".log";

  final Path file;
  final FileChannel channel;
  /** Records written; guarded by the journal's append lock. */
  int records;
  final AtomicLong unindexed = new AtomicLong();

  private Segment(Path file) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
  }

  /** A new empty segment whose name is durable in the directory. */
  static Segment create(Path dir, long number) throws IOException {
    Segment s = new Segment(dir.resolve(String.format("%s%019d%s", PREFIX, number, SUFFIX)));
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems cannot open a directory; the name then becomes durable with the data.
    }
    return s;
  }

  /** Writes a whole record, or cuts the file back so that no torn record precedes later ones. */
  void write(ByteBuffer record) {
    long at = -1;
    try {
      at = channel.position();
      while (record.hasRemaining()) {
        channel.write(record);
      }
    } catch (IOException e) {
      try {
        if (at >= 0) {
          channel.truncate(at);
        }
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("Could not append to the answer journal at " + file, e);
    }
  }

  /** The segment files in {@code dir}, oldest first. */
  static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> {
        String n = f.getFileName().toString();
        return n.startsWith(PREFIX) && n.endsWith(SUFFIX)
            && n.substring(PREFIX.length(), n.length() - SUFFIX.length()).matches("\\d{19}");
      }).sorted().toList();
    }
  }

  /** The number in a segment file's name. */
  static long number(Path segment) {
    String n = segment.getFileName().toString();
    return Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length()));
  }

  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Could not delete the journal segment {}; it is read again at the next start",
          file, e);
    }
  }
}
