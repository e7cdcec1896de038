package dev.bound.index;

import java.util.Arrays;
import java.util.Objects;

/**
 * One cached upstream answer: the prompt it answered, the scope it may be served in, and its
 * embedding (null for an entry that can only be found by its exact key).
 */
public record Entry(
    String id,
    String scope,
    String exactKey,
    String prompt,
    float[] vector,
    String model,
    String response,
    long createdMillis,
    String tenant) {

  /** An entry whose tenant is not recorded (as in entries written before tenants were). */
  public Entry(String id, String scope, String exactKey, String prompt, float[] vector,
      String model, String response, long createdMillis) {
    this(id, scope, exactKey, prompt, vector, model, response, createdMillis, "");
  }

  /** Validates every component and copies the vector so the caller cannot change it later. */
  public Entry {
    requireNonBlank(id, "id");
    requireNonBlank(scope, "scope");
    requireNonBlank(exactKey, "exactKey");
    Objects.requireNonNull(prompt, "prompt must not be null");
    Objects.requireNonNull(model, "model must not be null");
    Objects.requireNonNull(response, "response must not be null");
    Objects.requireNonNull(tenant, "tenant must not be null");
    if (createdMillis < 0) {
      throw new IllegalArgumentException("createdMillis must be >= 0 but was " + createdMillis);
    }
    if (vector != null) {
      if (vector.length == 0) {
        throw new IllegalArgumentException(
            "vector must not be empty (use null for an entry without an embedding)");
      }
      for (int i = 0; i < vector.length; i++) {
        if (!Float.isFinite(vector[i])) {
          throw new IllegalArgumentException(
              "vector[" + i + "] must be finite but was " + vector[i]);
        }
      }
      vector = vector.clone();
    }
  }

  /** The embedding, or null for an exact-only entry; a copy, so the entry stays immutable. */
  @Override
  public float[] vector() {
    return vector == null ? null : vector.clone();
  }

  /** The same entry with this embedding (copied, as the constructor does). */
  public Entry withVector(float[] v) {
    return new Entry(id, scope, exactKey, prompt, v, model, response, createdMillis, tenant);
  }

  /** True when this entry carries an embedding and can be found by {@code nearest}. */
  boolean hasVector() {
    return vector != null;
  }

  /** Direct access for the index, which neither keeps nor changes the array. */
  float[] vectorUnsafe() {
    return vector;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && createdMillis == e.createdMillis
        && id.equals(e.id)
        && scope.equals(e.scope)
        && exactKey.equals(e.exactKey)
        && prompt.equals(e.prompt)
        && Arrays.equals(vector, e.vector)
        && model.equals(e.model)
        && response.equals(e.response)
        && tenant.equals(e.tenant);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(id, scope, exactKey, prompt, model, response, createdMillis);
    return 31 * h + Arrays.hashCode(vector);
  }

  /** Names the entry without its prompt, response or vector, which may be large or private. */
  @Override
  public String toString() {
    return "Entry[id=" + id
        + ", scope=" + abbreviate(scope)
        + ", exactKey=" + abbreviate(exactKey)
        + ", model=" + model
        + ", createdMillis=" + createdMillis
        + ", prompt=" + prompt.length() + " chars"
        + ", response=" + response.length() + " chars"
        + ", vector=" + (vector == null ? "none" : vector.length + " dims")
        + "]";
  }

  private static void requireNonBlank(String value, String name) {
    Objects.requireNonNull(value, name + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "...(" + s.length() + " chars)";
  }
}
