package dev.bound.index.docs;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The JSON form of documents and review flags. Reading is strict (every field present, no unknown
 * or repeated field, integers only) because whatever a reader accepts beyond the signed fields
 * would be content nobody signed.
 */
final class DocJson {

  /** Names the format inside the signed content, so a signature cannot be replayed elsewhere. */
  static final String FORMAT = "bound.document/1";

  static final JsonMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static final Set<String> DOC_FIELDS =
      Set.of(
          "format",
          "id",
          "version",
          "questions",
          "answer",
          "scope",
          "author",
          "createdMillis",
          "updatedMillis",
          "provenance",
          "status",
          "kid",
          "signature");
  private static final Set<String> SCOPE_FIELDS = Set.of("model", "namespace");
  private static final Set<String> PROVENANCE_FIELDS =
      Set.of("sourceEntryId", "upstreamModel", "promptTokens", "completionTokens");
  private static final Set<String> FLAG_FIELDS = Set.of("version", "reason", "atMillis");

  private DocJson() {}

  /** The bytes a signature covers: the canonical form of every field but the signature. */
  static byte[] signedBytes(Draft d, String kid) {
    return Jcs.bytes(signedNode(d, kid));
  }

  /** The canonical form of the whole document, as stored on disk. */
  static byte[] fileBytes(Document d) {
    return Jcs.bytes(node(d));
  }

  static ObjectNode node(Document d) {
    ObjectNode n = signedNode(d.draft(), d.kid());
    n.put("signature", d.signature());
    return n;
  }

  private static ObjectNode signedNode(Draft d, String kid) {
    ObjectNode n = F.objectNode();
    n.put("format", FORMAT);
    n.put("id", d.id());
    n.put("version", d.version());
    ArrayNode qs = n.putArray("questions");
    d.questions().forEach(qs::add);
    n.put("answer", d.answer());
    ObjectNode scope = n.putObject("scope");
    scope.put("model", d.scope().model());
    scope.put("namespace", d.scope().namespace());
    n.put("author", d.author());
    n.put("createdMillis", d.createdMillis());
    n.put("updatedMillis", d.updatedMillis());
    Provenance p = d.provenance();
    if (p == null) {
      n.putNull("provenance");
    } else {
      ObjectNode pn = n.putObject("provenance");
      pn.put("sourceEntryId", p.sourceEntryId());
      pn.put("upstreamModel", p.upstreamModel());
      pn.put("promptTokens", p.promptTokens());
      pn.put("completionTokens", p.completionTokens());
    }
    n.put("status", d.status().name());
    n.put("kid", kid);
    return n;
  }

  static Document parse(byte[] json) {
    return parse(tree(json));
  }

  /** Reads a document, failing with a message that names the field at fault. */
  static Document parse(JsonNode n) {
    fields(n, DOC_FIELDS, "document");
    String format = text(n, "format");
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException(
          "format must be " + FORMAT + " but was '" + Draft.abbreviate(format) + "'");
    }
    JsonNode qs = n.get("questions");
    if (!qs.isArray()) {
      throw new IllegalArgumentException("questions must be an array");
    }
    List<String> questions = new ArrayList<>(qs.size());
    for (int i = 0; i < qs.size(); i++) {
      if (!qs.get(i).isTextual()) {
        throw new IllegalArgumentException("questions[" + i + "] must be a string");
      }
      questions.add(qs.get(i).textValue());
    }
    JsonNode sn = n.get("scope");
    fields(sn, SCOPE_FIELDS, "scope");
    JsonNode pn = n.get("provenance");
    Provenance provenance = null;
    if (!pn.isNull()) {
      fields(pn, PROVENANCE_FIELDS, "provenance");
      provenance =
          new Provenance(
              optionalText(pn, "sourceEntryId"),
              optionalText(pn, "upstreamModel"),
              optionalLong(pn, "promptTokens"),
              optionalLong(pn, "completionTokens"));
    }
    String status = text(n, "status");
    DocStatus parsedStatus;
    try {
      parsedStatus = DocStatus.valueOf(status);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "status must be ACTIVE, SUPERSEDED or REVOKED but was '"
              + Draft.abbreviate(status)
              + "'");
    }
    return new Document(
        text(n, "id"),
        (int) integer(n, "version", Integer.MAX_VALUE),
        questions,
        text(n, "answer"),
        new DocScope(text(sn, "model"), text(sn, "namespace")),
        text(n, "author"),
        integer(n, "createdMillis", Checks.MAX_SAFE_INTEGER),
        integer(n, "updatedMillis", Checks.MAX_SAFE_INTEGER),
        provenance,
        parsedStatus,
        text(n, "kid"),
        text(n, "signature"));
  }

  static byte[] flagsBytes(List<ReviewFlag> flags) {
    ArrayNode a = F.arrayNode();
    for (ReviewFlag f : flags) {
      ObjectNode o = a.addObject();
      o.put("version", f.version());
      o.put("reason", f.reason());
      o.put("atMillis", f.atMillis());
    }
    return Jcs.bytes(a);
  }

  static List<ReviewFlag> parseFlags(byte[] json) {
    JsonNode a = tree(json);
    if (!a.isArray()) {
      throw new IllegalArgumentException("review flags must be a JSON array");
    }
    List<ReviewFlag> out = new ArrayList<>(a.size());
    for (JsonNode o : a) {
      fields(o, FLAG_FIELDS, "review flag");
      out.add(
          new ReviewFlag(
              (int) integer(o, "version", Integer.MAX_VALUE),
              text(o, "reason"),
              integer(o, "atMillis", Checks.MAX_SAFE_INTEGER)));
    }
    return List.copyOf(out);
  }

  static JsonNode tree(byte[] json) {
    try {
      JsonNode n = MAPPER.readTree(json);
      if (n == null || n.isMissingNode()) {
        throw new IllegalArgumentException("no JSON value");
      }
      return n;
    } catch (IOException e) {
      // Jackson's message quotes the offending input; its first line is enough to place it.
      String m = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      throw new IllegalArgumentException("malformed JSON: " + m, e);
    }
  }

  static JsonNode tree(String json) {
    return tree(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void fields(JsonNode n, Set<String> expected, String what) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
    for (String name : expected) {
      if (!n.has(name)) {
        throw new IllegalArgumentException(what + " lacks the field " + name);
      }
    }
    for (var property : n.properties()) {
      String name = property.getKey();
      if (!expected.contains(name)) {
        throw new IllegalArgumentException(
            what + " has an unknown field " + Draft.abbreviate(name));
      }
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (!v.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return v.textValue();
  }

  private static String optionalText(JsonNode n, String field) {
    return n.get(field).isNull() ? null : text(n, field);
  }

  private static long integer(JsonNode n, String field, long max) {
    JsonNode v = n.get(field);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() > max) {
      throw new IllegalArgumentException(
          field
              + " must be an integer up to "
              + max
              + " but was "
              + Draft.abbreviate(v.toString()));
    }
    return v.longValue();
  }

  private static Long optionalLong(JsonNode n, String field) {
    return n.get(field).isNull() ? null : integer(n, field, Checks.MAX_SAFE_INTEGER);
  }
}
