package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How often each stored answer and bound document has been served. Counts are written to disk
 * with the other periodic state and on shutdown; a crash loses the increments since the last
 * save, which only makes the admin's view of popularity slightly low.
 */
final class HitCounts implements Outcome.Observer {
  private static final Logger LOG = LoggerFactory.getLogger(HitCounts.class);

  private final Path file;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  HitCounts(Path file) {
    this.file = file;
    if (Files.exists(file)) {
      try {
        JsonNode n = Json.MAPPER.readTree(file.toFile());
        n.properties().forEach(e -> add(e.getKey(), e.getValue().asLong()));
      } catch (IOException e) {
        LOG.warn("cannot read {}; hit counts start afresh: {}", file, e.toString());
      }
    }
  }

  @Override
  public void observe(Outcome o) {
    if (o.hit() && o.served() != null) {
      add(o.served(), 1);
    }
  }

  private void add(String id, long n) {
    counts.computeIfAbsent(id, k -> new LongAdder()).add(n);
  }

  long count(String id) {
    LongAdder a = counts.get(id);
    return a == null ? 0 : a.sum();
  }

  synchronized void save() {
    ObjectNode n = Json.object();
    counts.forEach((k, v) -> n.put(k, v.sum()));
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, Json.bytes(n));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.warn("cannot write {}: {}", file, e.toString());
    }
  }
}
