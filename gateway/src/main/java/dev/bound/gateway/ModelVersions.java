package dev.bound.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model version the upstream last answered with for each requested model name (a request
 * for {@code gpt-4o} answered by {@code gpt-4o-2024-08-06}). When the version changes, answers
 * made by the old one are no longer the upstream's answers; the change is kept on disk so that it
 * holds across restarts.
 */
final class ModelVersions {
  /** A change of version for a requested model name. */
  record Change(String requested, String from, String to) {}

  private final StateFile file;
  private final Map<String, String> current = new ConcurrentHashMap<>();

  ModelVersions(Path file) {
    this.file = new StateFile(file);
    this.file.read((model, version) -> current.put(model, version.asText()));
  }

  /** The version last seen for a requested model, if any. */
  Optional<String> current(String requested) {
    return Optional.ofNullable(current.get(requested));
  }

  /** Records the version an answer came from; returns the change when it is a new one. */
  synchronized Optional<Change> seen(String requested, String answered) {
    if (answered == null || answered.isBlank()) {
      return Optional.empty();
    }
    String before = current.put(requested, answered);
    if (answered.equals(before)) {
      return Optional.empty();
    }
    save();
    return before == null ? Optional.empty() : Optional.of(new Change(requested, before, answered));
  }

  private void save() {
    ObjectNode n = Json.object();
    current.forEach(n::put);
    file.write(n);
  }
}
