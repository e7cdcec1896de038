package dev.bound.gateway.docs;

import dev.bound.gateway.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drafts on disk, one {@code <id>.json} per document, apart from the document store so that
 * nothing that matches or serves documents ever reads them. Each write goes to a temporary file
 * that is forced and renamed over the old one, so a crash leaves the old draft or the new one.
 */
final class DraftStore {
  private static final Logger LOG = LoggerFactory.getLogger(DraftStore.class);
  private static final Pattern FILE = Pattern.compile("doc_[A-Za-z0-9_-]{20}\\.json");

  private final Path dir;
  private final Map<String, DocDraft> drafts = new ConcurrentHashMap<>();

  DraftStore(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(p -> FILE.matcher(p.getFileName().toString()).matches()).forEach(this::load);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not open the document drafts at " + dir, e);
    }
  }

  private void load(Path p) {
    try {
      DocDraft d = DocDraft.fromJson(Json.MAPPER.readTree(p.toFile()));
      drafts.put(d.id(), d);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Ignored the unreadable document draft {}: {}", p, e.toString());
    }
  }

  /** Every draft kept, pending or rejected. */
  java.util.List<DocDraft> all() {
    return java.util.List.copyOf(drafts.values());
  }

  Optional<DocDraft> get(String id) {
    return Optional.ofNullable(drafts.get(id));
  }

  void put(DocDraft d) {
    Path file = dir.resolve(d.id() + ".json");
    Path tmp = dir.resolve(d.id() + ".json.tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(Json.bytes(d.toJson())));
      ch.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the draft of " + d.id(), e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the draft of " + d.id(), e);
    }
    drafts.put(d.id(), d);
  }

  void remove(String id) {
    try {
      Files.deleteIfExists(dir.resolve(id + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not remove the draft of " + id, e);
    }
    drafts.remove(id);
  }
}
