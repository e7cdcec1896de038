package dev.bound.gateway;

import com.fasterxml.jackson.core.StreamReadFeature;
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
      // A field given twice is refused, as the import refuses it: a lenient reader keeps the
      // last, and the content checked would not be what another reader of the file takes.
      docs = Json.MAPPER.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .readTree(Files.readString(documentFile));
    } catch (IOException | RuntimeException e) {
      err.println("bound: cannot read " + (e.getMessage() == null ? e : e.getMessage()));
      return 2;
    }
    // One document, an export (an array) or an import bundle ({"documents": [...], "keys": ...},
    // whose keys are not trusted here: only the key file is).
    JsonNode array = docs != null && docs.isObject() && docs.has("documents")
        ? docs.get("documents") : docs;
    List<JsonNode> list = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(list::add);
    } else if (array != null) {
      list.add(array);
    }
    if (list.isEmpty()) {
      out.println("INVALID " + documentFile + " holds no document");
      return 1;
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
      boolean known = keys.stream().anyMatch(k -> DocumentSigner.kidOf(k).equals(d.kid()));
      boolean ok = known && keys.stream().anyMatch(k -> DocumentSigner.verify(d, k));
      out.println((ok ? "valid   " : "INVALID ") + name + " (key " + d.kid() + ")"
          + (ok ? "" : known ? ": the signature does not match the content"
              : ": no key in " + keyFile + " has that key id"));
      if (!ok) {
        bad++;
      }
    }
    return bad == 0 ? 0 : 1;
  }
}
