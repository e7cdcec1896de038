package dev.bound.gateway.observe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import dev.bound.gateway.StateFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often each stored answer and bound document has been served. Counts are written to disk
 * with the other periodic state and on shutdown; a crash loses the increments since the last
 * save, which only makes the admin's view of popularity slightly low.
 */
public final class HitCounts implements Outcome.Observer {
  private final StateFile file;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  public HitCounts(Path file) {
    this.file = new StateFile(file);
    this.file.read((id, n) -> add(id, n.asLong()));
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

  public long count(String id) {
    LongAdder a = counts.get(id);
    return a == null ? 0 : a.sum();
  }

  public synchronized void save() {
    ObjectNode n = Json.object();
    counts.forEach((k, v) -> n.put(k, v.sum()));
    file.write(n);
  }
}
