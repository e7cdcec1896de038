package dev.bound.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.index.SharedLog;
import dev.bound.index.SharedRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model version the upstream last answered with for each requested model name (a request
 * for {@code gpt-4o} answered by {@code gpt-4o-2024-08-06}). When the version changes, answers
 * made by the old one are no longer the upstream's answers; the change is kept on disk so that it
 * holds across restarts and, with shared storage, written there for the other instances, which
 * take it in through their change feed ({@link #apply}).
 */
final class ModelVersions {
  private static final Logger LOG = LoggerFactory.getLogger(ModelVersions.class);
  /** The kind of the shared records, one per requested model, id {@code model/<name>}. */
  static final String KIND = "model-version";
  private static final String PREFIX = "model/";

  /** A change of version for a requested model name. */
  record Change(String requested, String from, String to) {}

  private final StateFile file;
  private final Map<String, String> current = new ConcurrentHashMap<>();
  private volatile SharedLog shared;

  ModelVersions(Path file) {
    this.file = new StateFile(file);
    this.file.read((model, version) -> current.put(model, version.asText()));
  }

  /** The version last seen for a requested model, if any. */
  Optional<String> current(String requested) {
    return Optional.ofNullable(current.get(requested));
  }

  /** The requested model names the upstream now answers with {@code answered}, sorted. */
  List<String> askedAs(String answered) {
    return current.entrySet().stream().filter(e -> e.getValue().equals(answered))
        .map(Map.Entry::getKey).sorted().toList();
  }

  /** Writes every later change to {@code log} too. */
  void shareTo(SharedLog log) {
    this.shared = log;
  }

  /**
   * Records the version an answer came from; returns the change when it replaces another. A new
   * version, the first one included, is written to the shared storage if there is one; if that
   * fails, it holds here only.
   */
  Optional<Change> seen(String requested, String answered) {
    if (answered == null || answered.isBlank()) {
      return Optional.empty();
    }
    String before;
    synchronized (this) {
      before = current.put(requested, answered);
      if (answered.equals(before)) {
        return Optional.empty();
      }
      save();
    }
    SharedLog log = shared;
    if (log != null) {
      try {
        log.put(SharedRecord.of(PREFIX + requested, KIND, answered), false);
      } catch (RuntimeException e) {
        // Storage down or refusing: the answer is served all the same.
        LOG.warn("The shared storage did not take the version {} of {}; the other instances "
            + "learn it from their own upstream answers ({})", answered, requested,
            e.getMessage());
      }
    }
    return before == null ? Optional.empty() : Optional.of(new Change(requested, before, answered));
  }

  /** Takes in the model versions instances shared; returns those that replaced another here. */
  synchronized List<Change> apply(List<SharedRecord> records) {
    List<Change> changes = new ArrayList<>();
    boolean changed = false;
    for (SharedRecord r : records) {
      if (!r.kind().equals(KIND) || !r.id().startsWith(PREFIX) || r.body().isBlank()) {
        continue;
      }
      String requested = r.id().substring(PREFIX.length());
      String before = current.put(requested, r.body());
      if (!r.body().equals(before)) {
        changed = true;
        if (before != null) {
          changes.add(new Change(requested, before, r.body()));
        }
      }
    }
    if (changed) {
      save();
    }
    return changes;
  }

  private void save() {
    ObjectNode n = Json.object();
    current.forEach(n::put);
    file.write(n);
  }
}
