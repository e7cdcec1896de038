package dev.bound.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.protocol.CanonicalRequest;
import dev.bound.models.match.Notation;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which stored answers may answer a request. Everything that shapes an answer except the wording
 * of the last user message must be equal: the kind of answer, model, tenant, every earlier
 * message, the non-text parts of the last one, and the answer-shaping parameters (see
 * {@link CanonicalRequest#NOT_ANSWER_SHAPING} for those that are not). The scope is a hash of
 * those, so an entry can never be served across any of them.
 */
public record Scope(String key, String tenant) {
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");

  /**
   * The tenant: a hash of the client's credential (never the key itself), or "anonymous" without
   * one, subdivided by the {@code X-Bound-Namespace} header when given
   * ({@code key:<hash>/ns:<namespace>}). A namespace never opens another credential's answers.
   */
  public static String tenant(String namespaceHeader, String authorization) {
    String base = authorization != null && !authorization.isBlank()
        ? "key:" + Json.sha256(authorization.strip()).substring(0, 16) : "anonymous";
    if (namespaceHeader == null) {
      return base;
    }
    if (!NAMESPACE.matcher(namespaceHeader).matches()) {
      throw ApiException.invalid("X-Bound-Namespace must be 1 to 128 characters of letters, "
          + "digits and . _ : / -", "X-Bound-Namespace", "invalid_header");
    }
    return base + "/ns:" + namespaceHeader;
  }

  /** The scope of a request whose query text is known. */
  static Scope of(CanonicalRequest req, String tenant) {
    ObjectNode basis = Json.object();
    basis.put("endpoint", req.kind().scopeName);
    basis.put("tenant", tenant);
    basis.set("params", req.params());
    basis.set("context", req.context());
    return new Scope(Json.sha256(Json.canonical(basis)), tenant);
  }

  /**
   * The scope of a pool of variants: as {@link #of}, and the temperature band (to the nearest
   * half above) the answers were sampled at, since hotter answers come from a wider spread.
   */
  static Scope variants(CanonicalRequest req, String tenant, double temperature) {
    Scope plain = of(req, tenant);
    ObjectNode basis = Json.object();
    basis.put("variants", band(temperature));
    basis.put("scope", plain.key());
    return new Scope(Json.sha256(Json.canonical(basis)), tenant);
  }

  /** The temperature band a pool is kept for: the temperature rounded up to the next half. */
  static double band(double temperature) {
    return Math.ceil(temperature * 2) / 2;
  }

  /**
   * The exact-tier form of a prompt: Unicode-compatibility normalized, lower-cased, with runs of
   * white space folded, so that trivial retyping still hits.
   */
  static String normalize(String prompt) {
    String s = compatibilityForms(prompt).toLowerCase(Locale.ROOT);
    return foldSpaces(s).strip();
  }

  /**
   * NFKC, which folds full-width letters, ligatures and the like into what one would type, except
   * for superscript and subscript characters: NFKC reads "x²" as "x2" and "2³" as "23", which
   * mean something else.
   */
  private static String compatibilityForms(String prompt) {
    int first = Notation.firstScript(prompt, 0);
    if (first < 0) {
      return Normalizer.normalize(prompt, Normalizer.Form.NFKC);
    }
    StringBuilder out = new StringBuilder(prompt.length());
    int from = 0;
    for (int at = first; at >= 0; at = Notation.firstScript(prompt, from)) {
      out.append(Normalizer.normalize(prompt.substring(from, at), Normalizer.Form.NFKC))
          .append(prompt.charAt(at));
      from = at + 1;
    }
    return out.append(Normalizer.normalize(prompt.substring(from), Normalizer.Form.NFKC))
        .toString();
  }

  /**
   * Replaces each run of the characters regex {@code \s} matches (space, tab, line feed, vertical
   * tab, form feed, carriage return) with one space. A loop, not {@code replaceAll}: the regex
   * took three quarters of the time this form costs, and every request computes it.
   */
  private static String foldSpaces(String s) {
    StringBuilder out = null;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (!isSpace(ch)) {
        if (out != null) {
          out.append(ch);
        }
        continue;
      }
      int end = i + 1;
      while (end < n && isSpace(s.charAt(end))) {
        end++;
      }
      if (out == null && (ch != ' ' || end > i + 1)) {
        out = new StringBuilder(n).append(s, 0, i);
      }
      if (out != null) {
        out.append(' ');
      }
      i = end - 1;
    }
    return out == null ? s : out.toString();
  }

  private static boolean isSpace(char ch) {
    return ch == ' ' || (ch >= '\t' && ch <= '\r');
  }
}
