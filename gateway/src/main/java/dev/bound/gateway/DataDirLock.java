package dev.bound.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One Bound per data directory, whatever its storage. Taken before anything in the directory is
 * read: with shared storage no index holds a lock, and a second instance used to read and tidy
 * the first one's answer journal before the document store's lock stopped it.
 */
final class DataDirLock implements AutoCloseable {
  static final String FILE = "bound.lock";

  private final FileChannel channel;

  private DataDirLock(FileChannel channel) {
    this.channel = channel;
  }

  /** Locks {@code data}, creating it if needed; fails in words when another process holds it. */
  static DataDirLock take(Path data) {
    FileChannel channel = null;
    try {
      Files.createDirectories(data);
      channel = FileChannel.open(data.resolve(FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this process: another Bound started in the same JVM
      }
      if (lock == null) {
        channel.close();
        throw new IllegalStateException("the data directory " + data + " is in use by another "
            + "Bound (it holds " + FILE + "): stop that one, or point this one at another "
            + "directory with --data");
      }
      return new DataDirLock(channel);
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new UncheckedIOException("cannot lock the data directory " + data, e);
    }
  }

  /** Lets the directory go; the lock goes with the channel. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing is lost: the operating system drops the lock when the process ends
    }
  }
}
