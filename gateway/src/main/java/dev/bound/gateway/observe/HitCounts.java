package dev.bound.gateway.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import dev.bound.gateway.StateFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often each stored answer and bound document has been served. Counts are written to disk
 * with the other periodic state and on shutdown; a crash loses the increments since the last
 * save, which only makes the admin's view of popularity slightly low.
 *
 * <p>Instances sharing one storage add up their counts: each writes its own totals
 * ({@link #snapshot}) for the others to read, and a count here is this instance's own plus the
 * latest totals read from every other instance ({@link #absorb}). Totals, not increments, so a
 * snapshot read twice, or again after a restart, counts once.
 */
public final class HitCounts implements Outcome.Observer {
  private final StateFile file;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  /** Per other instance, its own totals as it last wrote them. */
  private final Map<String, Map<String, Long>> others = new ConcurrentHashMap<>();
  private volatile boolean changed;

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
    changed = true;
  }

  /** Served this often, behind this instance and every other one sharing its storage. */
  public long count(String id) {
    LongAdder a = counts.get(id);
    long n = a == null ? 0 : a.sum();
    for (Map<String, Long> o : others.values()) {
      n += o.getOrDefault(id, 0L);
    }
    return n;
  }

  /**
   * This instance's own totals, for the instances it shares storage with, or null when nothing
   * was served since the last snapshot.
   */
  public ObjectNode snapshot() {
    if (!changed) {
      return null;
    }
    changed = false;
    ObjectNode n = Json.object();
    counts.forEach((k, v) -> n.put(k, v.sum()));
    return n;
  }

  /** Shares again at the next snapshot, as when writing the last one failed. */
  public void unsent() {
    changed = true;
  }

  /** Replaces what is known of {@code instance}'s totals with the ones it wrote last. */
  public void absorb(String instance, JsonNode totals) {
    Map<String, Long> m = new HashMap<>();
    totals.properties().forEach(f -> m.put(f.getKey(), f.getValue().asLong()));
    others.put(instance, Map.copyOf(m));
  }

  public synchronized void save() {
    ObjectNode n = Json.object();
    counts.forEach((k, v) -> n.put(k, v.sum()));
    file.write(n);
  }
}
