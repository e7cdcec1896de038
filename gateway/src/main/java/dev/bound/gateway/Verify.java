package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.index.docs.Document;
import dev.bound.index.docs.DocumentSigner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/** {@code bound verify}: checks bound documents offline against a public key. */
public final class Verify {
  private Verify() {}

  /**
   * Verifies a file holding one document or an array of them (an export) against the keys in a
   * JWK or JWK Set file. Returns 0 when every document verifies, 1 when one does not, 2 when a
   * file cannot be read.
   */
  public static int run(Path documentFile, Path keyFile, PrintStream out, PrintStream err) {
    List<PublicKey> keys;
    JsonNode docs;
    try {
      String keyText = Files.readString(keyFile);
      JsonNode k = Json.MAPPER.readTree(keyText);
      keys = k.has("keys") ? DocumentSigner.fromJwkSet(keyText)
          : List.of(DocumentSigner.fromJwk(keyText));
      docs = Json.MAPPER.readTree(Files.readString(documentFile));
    } catch (IOException | RuntimeException e) {
      err.println("bound: cannot read " + (e.getMessage() == null ? e : e.getMessage()));
      return 2;
    }
    List<JsonNode> list = new ArrayList<>();
    if (docs.isArray()) {
      docs.forEach(list::add);
    } else {
      list.add(docs);
    }
    int bad = 0;
    for (JsonNode n : list) {
      String name = n.path("id").asText("?") + "@" + n.path("version").asText("?");
      Document d;
      try {
        d = Document.fromJson(Json.text(n));
      } catch (RuntimeException e) {
        out.println("INVALID " + name + ": not a bound document (" + e.getMessage() + ")");
        bad++;
        continue;
      }
      boolean ok = keys.stream().anyMatch(k -> DocumentSigner.verify(d, k));
      out.println((ok ? "valid   " : "INVALID ") + name + " (key " + d.kid() + ")"
          + (ok ? "" : ": the signature does not match the content or the key"));
      if (!ok) {
        bad++;
      }
    }
    return bad == 0 ? 0 : 1;
  }
}
