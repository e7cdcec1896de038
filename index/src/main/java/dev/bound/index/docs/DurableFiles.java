package dev.bound.index.docs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes that survive a crash at any instant: a file is written whole under a temporary name,
 * forced to the device, renamed over its final name in one atomic step, and the directory forced
 * too, so after a crash the final name holds either the old content or the new, never a mix.
 */
public final class DurableFiles {

  /** Suffix of a file being written; one still present at start-up was never acknowledged. */
  static final String TMP_SUFFIX = ".tmp";

  private DurableFiles() {}

  /**
   * Replaces {@code target} with {@code content} whole; a failed write leaves it as it was and no
   * temporary file behind. The caller must be the only writer of {@code target}.
   */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, false);
  }

  /**
   * As {@link #write}, but the file is readable by its owner only from the moment it exists (on
   * POSIX file systems), so a key is never briefly world-readable between a create and a chmod.
   */
  static void writeOwnerOnly(Path target, byte[] content) throws IOException {
    write(target, content, true);
  }

  private static void write(Path target, byte[] content, boolean ownerOnly) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
    // Callers hold the only writer lock, so a temp file here is a dead writer's; it was never
    // renamed into place, so nothing ever read or acknowledged it.
    Files.deleteIfExists(tmp);
    FileAttribute<?>[] attrs =
        ownerOnly && isPosix(target)
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    Files.createFile(tmp, attrs);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    syncDirectory(target.getParent());
  }

  /** Creates a directory and makes its name durable in the parent. */
  static void createDirectory(Path dir) throws IOException {
    Files.createDirectory(dir);
    syncDirectory(dir.getParent());
  }

  /** Renames a fully written directory into place in one step; the target must not exist. */
  static void moveDirectory(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(to.getParent());
  }

  static void delete(Path file) throws IOException {
    if (Files.deleteIfExists(file)) {
      syncDirectory(file.getParent());
    }
  }

  /**
   * Forces a directory's entries (new names, renames) to the device. Windows cannot open a
   * directory as a channel; there the rename itself is journalled by NTFS, so that is skipped.
   */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (isPosix(dir)) {
        throw e;
      }
    }
  }

  static boolean isPosix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
