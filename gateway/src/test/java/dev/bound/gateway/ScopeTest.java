package dev.bound.gateway;

import dev.bound.gateway.protocol.CanonicalRequest;
import dev.bound.gateway.protocol.ChatProtocol;
import dev.bound.gateway.protocol.CompletionsProtocol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScopeTest {
  private static CanonicalRequest req(String json) {
    return ChatProtocol.INSTANCE.parse(json.getBytes(StandardCharsets.UTF_8)).canonical();
  }

  private static String key(String json) {
    return Scope.of(req(json), "t").key();
  }

  private static final String BASE = "{\"model\":\"m\",\"temperature\":0,\"messages\":["
      + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
      + "{\"role\":\"user\",\"content\":\"%s\"}]%s}";

  private static String base(String question, String extra) {
    return String.format(BASE, question, extra);
  }

  @Test
  void of_ignoresTheLastUserTextAndKeyOrder() {
    String a = key(base("How do I reset my password?", ""));
    String b = key(base("What is the way to reset my password?", ""));
    String reordered = key("{\"messages\":[{\"content\":\"Be brief.\",\"role\":\"system\"},"
        + "{\"role\":\"user\",\"content\":\"other\"}],\"temperature\":0,\"model\":\"m\"}");
    assertEquals(a, b);
    assertEquals(a, reordered);
  }

  @Test
  void of_ignoresSamplingAndBookkeeping() {
    String a = key(base("q", ""));
    assertEquals(a, key(base("q", ",\"top_p\":0.5,\"user\":\"u1\",\"stream\":false")));
  }

  @Test
  void of_separatesAnswerShapingParameters() {
    String a = key(base("q", ""));
    // The token limit is checked against each stored answer instead (Answers.fitsLimit).
    assertEquals(a, key(base("q", ",\"max_tokens\":5")));
    assertNotEquals(a, key(base("q", ",\"response_format\":{\"type\":\"json_object\"}")));
    assertNotEquals(a, key(base("q", ",\"tools\":[{\"type\":\"function\",\"function\":"
        + "{\"name\":\"f\"}}]")));
    assertNotEquals(a, key(base("q", ",\"tool_choice\":\"none\"")));
    assertNotEquals(a, key(base("q", ",\"seed\":7")));
  }

  @Test
  void of_separatesModelSystemPromptAndTurns() {
    String a = key(base("q", ""));
    assertNotEquals(a, key(base("q", "").replace("\"m\"", "\"m2\"")));
    assertNotEquals(a, key(base("q", "").replace("Be brief.", "Be thorough.")));
    assertNotEquals(a, key("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}"));
  }

  @Test
  void of_separatesTenantsAndEndpoints() {
    CanonicalRequest r = req(base("q", ""));
    assertNotEquals(Scope.of(r, "a").key(), Scope.of(r, "b").key());
    CanonicalRequest completion = CompletionsProtocol.INSTANCE.parse(
        "{\"model\":\"m\",\"prompt\":\"q\"}".getBytes(StandardCharsets.UTF_8)).canonical();
    CanonicalRequest chat = req("{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"q\"}]}");
    assertNotEquals(Scope.of(chat, "a").key(), Scope.of(completion, "a").key());
  }

  @Test
  void of_keepsImagesOfTheLastMessageInScope() {
    String img = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"What is in this picture?\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"%s\"}}]}]}";
    assertNotEquals(key(String.format(img, "http://x/1.png")),
        key(String.format(img, "http://x/2.png")));
    assertEquals("What is in this picture?",
        req(String.format(img, "http://x/1.png")).queryText());
  }

  @Test
  void tenant_hashesTheKeyAndPrefersTheNamespace() {
    String t = Scope.tenant(null, "Bearer sk-secret");
    assertTrue(t.startsWith("key:") && !t.contains("sk-secret"), t);
    assertNotEquals(t, Scope.tenant(null, "Bearer sk-other"));
    // A namespace subdivides the credential's tenant; it never stands in for a key.
    assertEquals(t + "/ns:team-a", Scope.tenant("team-a", "Bearer sk-secret"));
    assertEquals("anonymous/ns:team-a", Scope.tenant("team-a", null));
    assertEquals("anonymous", Scope.tenant(null, null));
    assertThrows(ApiException.class, () -> Scope.tenant("", null));
  }

  @Test
  void normalize_foldsCaseSpaceAndCompatibilityForms() {
    assertEquals("how do i reset my password?",
        Scope.normalize("  How do I\treset   my\u00A0PASSWORD? "));
    assertEquals("fi", Scope.normalize("\uFB01"));
    assertEquals("abc 1", Scope.normalize("\uFF21\uFF42\uFF43 \uFF11")); // full-width forms
  }

  @Test
  void normalize_keepsSuperscriptsAndSubscripts_whichMeanSomethingElse() {
    assertEquals("what is 2\u00B3 exactly?", Scope.normalize("What is 2\u00B3 exactly?"));
    assertNotEquals(Scope.normalize("What is 23 exactly?"),
        Scope.normalize("What is 2\u00B3 exactly?"));
    assertNotEquals(Scope.normalize("Differentiate x2 + 3"),
        Scope.normalize("Differentiate x\u00B2 + 3"));
    assertNotEquals(Scope.normalize("H2O"), Scope.normalize("H\u2082O"));
    // The rest of the prompt is still folded around them.
    assertEquals("fi x\u00B2 h\u2082o", Scope.normalize("\uFB01  X\u00B2 H\u2082O"));
  }

  @Test
  void normalize_foldsWhatRegexSpaceMatches_asTheRegexDid() {
    // The regex Bound used until 2026-12-01; exact keys of stored answers were made with it.
    java.util.regex.Pattern spaces = java.util.regex.Pattern.compile("\\s+");
    String pool = "ab \t\n\u000B\f\r\u00A0\u2003\u0085\u001C.";
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int j = r.nextInt(12); j > 0; j--) {
        sb.append(pool.charAt(r.nextInt(pool.length())));
      }
      String s = sb.toString();
      String before = spaces.matcher(java.text.Normalizer.normalize(s,
          java.text.Normalizer.Form.NFKC).toLowerCase(java.util.Locale.ROOT)).replaceAll(" ")
          .strip();
      assertEquals(before, Scope.normalize(s), "for [" + s + "]");
    }
    assertEquals("how do i reset my password?",
        Scope.normalize(" \t How\u000B do  I\r\n reset\u00A0my  PASSWORD?\u2003 "));
  }

  @Test
  void of_isTheScopeStoredAnswersWereKeyedBy() {
    // Computed before the canonical writer was replaced (2026-12-01): stored keys depend on it.
    CanonicalRequest r = req("{\"model\":\"gpt-4o\",\"temperature\":0,\"messages\":["
        + "{\"role\":\"system\",\"content\":\"Be brief. \u00e9\"},{\"role\":\"user\","
        + "\"content\":\"How do I reset my password?\"}],\"response_format\":{\"type\":"
        + "\"json_object\"},\"seed\":7}");
    assertEquals("a67baec302e173e5a95f07904c187eb9b434ff6f5c9a4305913298e93390d3ca",
        Scope.of(r, "key:0123456789abcdef/ns:x").key());
  }
}
