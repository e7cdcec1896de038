package dev.bound.gateway.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Json;
import java.util.Objects;

/**
 * What the upstream answered when a document's canonical question was asked again after a model
 * change: the answer, against which version of the document, the model asked and the version that
 * answered. A rejected draft is kept only as a marker, so the same change is not asked again.
 *
 * @param baseVersion the document version the draft would replace
 * @param flagMillis the time of the newest model-change flag the draft answers
 * @param promptTokens the upstream's count, or null when it gave none
 */
record DocDraft(String id, int baseVersion, String answer, String model, String modelVersion,
    Long promptTokens, Long completionTokens, long createdMillis, long flagMillis,
    boolean rejected) {

  DocDraft {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(answer, "answer must not be null");
    Objects.requireNonNull(model, "model must not be null");
    Objects.requireNonNull(modelVersion, "modelVersion must not be null");
    if (baseVersion < 1) {
      throw new IllegalArgumentException("baseVersion must be >= 1 but was " + baseVersion);
    }
  }

  /** This draft, turned down: its answer is dropped. */
  DocDraft asRejected() {
    return new DocDraft(id, baseVersion, "", model, modelVersion, null, null, createdMillis,
        flagMillis, true);
  }

  ObjectNode toJson() {
    ObjectNode n = Json.object();
    n.put("id", id);
    n.put("base_version", baseVersion);
    n.put("answer", answer);
    n.put("model", model);
    n.put("model_version", modelVersion);
    if (promptTokens != null) {
      n.put("prompt_tokens", promptTokens);
    }
    if (completionTokens != null) {
      n.put("completion_tokens", completionTokens);
    }
    n.put("created", createdMillis);
    n.put("flag_at", flagMillis);
    n.put("rejected", rejected);
    return n;
  }

  static DocDraft fromJson(JsonNode n) {
    return new DocDraft(n.path("id").asText(), n.path("base_version").asInt(),
        n.path("answer").asText(), n.path("model").asText(), n.path("model_version").asText(),
        n.has("prompt_tokens") ? n.get("prompt_tokens").asLong() : null,
        n.has("completion_tokens") ? n.get("completion_tokens").asLong() : null,
        n.path("created").asLong(), n.path("flag_at").asLong(), n.path("rejected").asBoolean());
  }
}
