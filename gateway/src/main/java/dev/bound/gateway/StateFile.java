package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small JSON object of state kept beside the index (hit counts, model versions), replaced as a
 * whole by an atomic rename so a crash leaves either the old file or the new one.
 */
public final class StateFile {
  private static final Logger LOG = LoggerFactory.getLogger(StateFile.class);

  private final Path file;

  public StateFile(Path file) {
    this.file = file;
  }

  /** Hands each field of the stored object to {@code field}; a missing file has none. */
  public void read(BiConsumer<String, JsonNode> field) {
    if (!Files.exists(file)) {
      return;
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      LOG.warn("cannot read {}; it starts afresh, the file kept as {}: {}", file, keepAside(),
          e.toString());
      return;
    }
    if (root == null || !root.isObject()) {
      LOG.warn("{} holds no JSON object; it starts afresh, the file kept as {}", file,
          keepAside());
      return;
    }
    java.util.List<String> skipped = new java.util.ArrayList<>();
    root.properties().forEach(e -> {
      try {
        field.accept(e.getKey(), e.getValue());
      } catch (RuntimeException bad) { // a value of the wrong kind: that one is left out
        skipped.add(e.getKey() + " (" + bad.getMessage() + ")");
      }
    });
    if (!skipped.isEmpty()) {
      LOG.warn("{}: left out {} unreadable entr{}, the file kept as {}: {}", file,
          skipped.size(), skipped.size() == 1 ? "y" : "ies", keepAside(),
          String.join("; ", skipped.subList(0, Math.min(5, skipped.size()))));
    }
  }

  /**
   * Copies the file beside itself before anything replaces it, so that what could not be read is
   * still there to look at or to mend by hand (a directory where the file should be is moved
   * aside instead); returns the copy's name.
   */
  private String keepAside() {
    Path copy = file.resolveSibling(file.getFileName() + ".unreadable-"
        + System.currentTimeMillis());
    try {
      if (Files.isDirectory(file)) { // a directory in its place would refuse every later write
        Files.move(file, copy);
      } else {
        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      return copy.getFileName().toString();
    } catch (IOException e) {
      return "(not kept: " + e.getMessage() + ")";
    }
  }

  /**
   * Replaces the file with {@code state}, atomically, but only with text that reads back: a
   * name Jackson writes and cannot read (a key with an unpaired surrogate) would otherwise cost
   * the whole file at the next start. The file then keeps what it had, and a warning says why.
   */
  public void write(JsonNode state) {
    try {
      byte[] bytes = Json.bytes(state);
      try {
        Json.MAPPER.readTree(bytes);
      } catch (IOException e) {
        LOG.warn("not writing {}: its new content would not read back ({}); it keeps the last "
            + "that did", file, e.toString());
        return;
      }
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warn("cannot write {}: {}", file, e.toString());
    }
  }
}
