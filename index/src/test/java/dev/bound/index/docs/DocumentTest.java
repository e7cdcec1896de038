package dev.bound.index.docs;

import static dev.bound.index.docs.Fixtures.draft;
import static dev.bound.index.docs.Fixtures.id;
import static dev.bound.index.docs.Fixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentTest {

  private static final String SIG = "A".repeat(86); // 64 zero bytes, canonical spelling

  private static Document doc() {
    Draft d = draft(id('a'), 1, DocStatus.ACTIVE);
    return new Document(
        d.id(),
        d.version(),
        d.questions(),
        d.answer(),
        d.scope(),
        d.author(),
        d.createdMillis(),
        d.updatedMillis(),
        d.provenance(),
        d.status(),
        "kid1",
        SIG);
  }

  private static String message(String component, Object value) {
    return assertThrows(IllegalArgumentException.class, () -> with(doc(), component, value))
        .getMessage();
  }

  @Test
  void constructor_versionBelowOne() {
    assertEquals("version must be >= 1 but was 0", message("version", 0));
  }

  @Test
  void constructor_emptyQuestions() {
    assertEquals("questions must not be empty", message("questions", List.of()));
  }

  @Test
  void constructor_blankQuestionNamesItsIndex() {
    assertEquals("questions[1] must not be blank", message("questions", List.of("a", " \t")));
  }

  @Test
  void constructor_nullQuestionNamesItsIndex() {
    List<String> qs = new ArrayList<>(List.of("a"));
    qs.add(null);
    var e = assertThrows(NullPointerException.class, () -> with(doc(), "questions", qs));
    assertEquals("questions[1] must not be null", e.getMessage());
  }

  @Test
  void constructor_tooManyQuestions() {
    List<String> qs = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      qs.add("question " + i);
    }
    assertEquals("questions must have at most 32 entries but has 33", message("questions", qs));
  }

  @Test
  void constructor_questionsRepeatingAfterNormalization() {
    assertEquals(
        "questions[1] repeats questions[0]",
        message("questions", List.of("Reset  password", " reset PASSWORD")));
  }

  @Test
  void constructor_blankAnswer() {
    assertEquals("answer must not be blank", message("answer", "  "));
  }

  @Test
  void constructor_badId() {
    assertEquals(
        "id must be doc_ followed by 20 of A-Za-z0-9_- but was '../etc'", message("id", "../etc"));
  }

  @Test
  void constructor_updatedBeforeCreated() {
    assertEquals(
        "updatedMillis must be >= createdMillis (1700000000000) but was 5",
        message("updatedMillis", 5L));
  }

  @Test
  void constructor_nonCanonicalSignature() {
    // Same 64 bytes as SIG, but the spare low bits of the last character are set.
    assertEquals(
        "signature must be the unpadded base64url form of 64 bytes",
        message("signature", "A".repeat(85) + "B"));
  }

  @Test
  void constructor_badKid() {
    assertEquals("kid must be 1-64 of A-Za-z0-9_- but was 'a b'", message("kid", "a b"));
  }

  @Test
  void scope_namespaceOutsideGatewaySyntax() {
    var e = assertThrows(IllegalArgumentException.class, () -> new DocScope("m", "team a"));
    assertEquals(
        "scope.namespace must be * or 1-128 of A-Za-z0-9._:/- but was 'team a'", e.getMessage());
  }

  @Test
  void provenance_negativeTokens() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Provenance(null, null, -1L, 0L));
    assertEquals(
        "provenance.promptTokens must be between 0 and 9007199254740991 but was -1",
        e.getMessage());
  }

  @Test
  void questions_areCopiedAndUnmodifiable() {
    List<String> qs = new ArrayList<>(List.of("one", "two"));
    Document d = with(doc(), "questions", qs);
    qs.set(0, "changed");
    assertEquals(List.of("one", "two"), d.questions());
    assertThrows(UnsupportedOperationException.class, () -> d.questions().add("three"));
  }

  @Test
  void scope_admitsWildcardsAndExactValues() {
    assertTrue(DocScope.any().admits("m", "t"));
    assertTrue(new DocScope("m", "*").admits("m", "t"));
    assertEquals(false, new DocScope("m", "*").admits("other", "t"));
    assertEquals(false, new DocScope("*", "t").admits("m", "u"));
  }

  @Test
  void scope_aNamespaceAdmitsItUnderAnyCredential_andNothingThatOnlyEndsLikeIt() {
    DocScope teamA = new DocScope("*", "ns:team-a");
    assertTrue(teamA.admits("m", "key:0123456789abcdef/ns:team-a"));
    assertTrue(teamA.admits("m", "anonymous/ns:team-a"));
    // X-Bound-Namespace "x/ns:team-a" is another namespace, though its tenant ends alike.
    assertFalse(teamA.admits("m", "anonymous/ns:x/ns:team-a"));
    assertFalse(teamA.admits("m", "key:0123456789abcdef/ns:team-a/ns:team-a"));
    assertFalse(teamA.admits("m", "key:0123456789abcdef"));
    assertFalse(teamA.admits("m", "anonymous/ns:team-ab"));
    // A whole tenant admits only itself.
    DocScope one = new DocScope("*", "key:0123456789abcdef/ns:team-a");
    assertTrue(one.admits("m", "key:0123456789abcdef/ns:team-a"));
    assertFalse(one.admits("m", "key:fedcba9876543210/ns:team-a"));
  }

  @Test
  void json_roundTripIsExact() {
    Document d = doc();
    assertEquals(d, DocJson.parse(DocJson.fileBytes(d)));
    Document noProvenance = with(d, "provenance", null);
    assertEquals(noProvenance, DocJson.parse(DocJson.fileBytes(noProvenance)));
  }

  @Test
  void json_unknownFieldRefused() {
    String json =
        new String(DocJson.fileBytes(doc())).replace("{\"answer\"", "{\"extra\":1,\"answer\"");
    var e = assertThrows(IllegalArgumentException.class, () -> DocJson.parse(json.getBytes()));
    assertEquals("document has an unknown field extra", e.getMessage());
  }

  @Test
  void json_repeatedFieldRefused() {
    String json =
        new String(DocJson.fileBytes(doc())).replace("{\"answer\"", "{\"answer\":\"x\",\"answer\"");
    var e = assertThrows(IllegalArgumentException.class, () -> DocJson.parse(json.getBytes()));
    assertTrue(
        e.getMessage().startsWith("malformed JSON: Duplicate field 'answer'"), e.getMessage());
  }

  @Test
  void json_fractionalVersionRefused() {
    String json = new String(DocJson.fileBytes(doc())).replace("\"version\":1", "\"version\":1.0");
    var e = assertThrows(IllegalArgumentException.class, () -> DocJson.parse(json.getBytes()));
    assertEquals("version must be an integer up to 2147483647 but was 1.0", e.getMessage());
  }

  @Test
  void docEdit_nullQuestionsMeansUnchangedButListIsCopied() {
    List<String> qs = new ArrayList<>(List.of("q"));
    DocEdit e = DocEdit.by("bob").withQuestions(qs);
    qs.clear();
    assertEquals(List.of("q"), e.questions());
    assertEquals(null, DocEdit.by("bob").questions());
    assertThrows(UnsupportedOperationException.class, () -> e.questions().add("x"));
  }
}
