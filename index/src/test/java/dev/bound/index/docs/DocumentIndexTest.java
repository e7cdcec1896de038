package dev.bound.index.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentIndexTest {

  @TempDir Path tmp;
  private DocumentSigner signer;
  private DocumentStore store;

  /** Hand-made embeddings; a question not listed here cannot be embedded. */
  private final Map<String, float[]> vectors = new HashMap<>();

  private float[] embed(String text) {
    float[] v = vectors.get(text);
    if (v == null) {
      throw new IllegalStateException("no test vector for " + text);
    }
    return v;
  }

  @BeforeEach
  void setUp() {
    signer = DocumentSigner.open(tmp.resolve("keys"));
    store = DocumentStore.open(tmp.resolve("docs"), signer, new Fixtures.TickingClock());
    vectors.put("How do I reset my password?", new float[] {1, 0, 0, 0});
    vectors.put("What is the refund window?", new float[] {0, 1, 0, 0});
    vectors.put("Where is the office?", new float[] {0, 0, 1, 0});
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private Document create(String question, DocScope scope) {
    return store.create(List.of(question), "answer to " + question, scope, "alice", null);
  }

  /** A unit vector at cosine {@code c} to the x axis. */
  private static float[] atCosine(double c) {
    return new float[] {(float) c, (float) Math.sqrt(1 - c * c), 0, 0};
  }

  private static Optional<String> matchedId(Optional<DocMatch> m) {
    return m.map(x -> x.document().id());
  }

  @Test
  void match_exactNormalizedText_isOneWithoutAnyVector() {
    Document d = create("How do I reset my password?", DocScope.any());
    DocumentIndex index = DocumentIndex.over(store, this::embed);
    DocMatch m =
        index.match("m", "t", "  how DO i reset\tmy\n password?  ", null, 0.99).orElseThrow();
    assertEquals(d, m.document());
    assertEquals("How do I reset my password?", m.question());
    assertEquals(1.0, m.similarity());
  }

  @Test
  void match_vectorAtOrAboveThreshold_only() {
    Document d = create("How do I reset my password?", DocScope.any());
    DocumentIndex index = DocumentIndex.over(store, this::embed);
    DocMatch m = index.match("m", "t", "forgot my password", atCosine(0.9), 0.85).orElseThrow();
    assertEquals(d.id(), m.document().id());
    assertEquals(0.9, m.similarity(), 1e-6);
    assertEquals(
        Optional.empty(), index.match("m", "t", "forgot my password", atCosine(0.8), 0.85));
    assertEquals(Optional.empty(), index.match("m", "t", "forgot my password", null, 0.0));
  }

  @Test
  void match_queryVectorIsNormalized() {
    create("How do I reset my password?", DocScope.any());
    DocumentIndex index = DocumentIndex.over(store, this::embed);
    assertEquals(
        1.0,
        index.match("m", "t", "x", new float[] {5, 0, 0, 0}, 0.9).orElseThrow().similarity(),
        1e-6);
  }

  @Test
  void match_modelScope_exactOrWildcard() {
    Document forMini = create("How do I reset my password?", new DocScope("gpt-4o-mini", "*"));
    DocumentIndex index = DocumentIndex.over(store, this::embed);
    float[] q = atCosine(1);
    assertEquals(
        Optional.of(forMini.id()), matchedId(index.match("gpt-4o-mini", "t", "q", q, 0.9)));
    assertEquals(Optional.empty(), matchedId(index.match("gpt-4o", "t", "q", q, 0.9)));
    // "*" in a request is a model name like any other, not a wildcard.
    assertEquals(Optional.empty(), matchedId(index.match("*", "t", "q", q, 0.9)));
  }

  @Test
  void match_namespaceScope_exactOrWildcard() {
    Document teamA = create("How do I reset my password?", new DocScope("*", "team-a"));
    Document everyone = create("What is the refund window?", DocScope.any());
    DocumentIndex index = DocumentIndex.over(store, this::embed);
    float[] password = atCosine(1);
    float[] refund = {0, 1, 0, 0};
    assertEquals(
        Optional.of(teamA.id()), matchedId(index.match("m", "team-a", "q", password, 0.9)));
    assertEquals(Optional.empty(), matchedId(index.match("m", "team-b", "q", password, 0.9)));
    assertEquals(
        Optional.of(everyone.id()), matchedId(index.match("m", "team-b", "q", refund, 0.9)));
    assertEquals(
        Optional.of(everyone.id()), matchedId(index.match("m", "team-a", "q", refund, 0.9)));
  }

  @Test
  void match_tie_prefersTheMoreSpecificScope() {
    create("How do I reset my password?", DocScope.any());
    Document specific =
        store.create(
            List.of("How do I reset my password?"),
            "team answer",
            new DocScope("gpt-4o-mini", "team-a"),
            "alice",
            null);
    create("Where is the office?", DocScope.any());
    DocumentIndex index = DocumentIndex.over(store, this::embed);
    DocMatch m =
        index
            .match("gpt-4o-mini", "team-a", "how do i reset my password?", null, 0.9)
            .orElseThrow();
    assertEquals(specific.id(), m.document().id());
  }

  @Test
  void match_followsEditsRevocationsAndImports() {
    DocumentIndex index = DocumentIndex.over(store, this::embed);
    Document d = create("How do I reset my password?", DocScope.any());
    assertEquals(1, index.size());
    assertEquals(Optional.of(d.id()), matchedId(index.match("m", "t", "q", atCosine(1), 0.9)));

    store.edit(d.id(), DocEdit.by("bob").withQuestions(List.of("Where is the office?")));
    assertEquals(Optional.empty(), index.match("m", "t", "q", atCosine(1), 0.9));
    DocMatch m = index.match("m", "t", "q", new float[] {0, 0, 1, 0}, 0.9).orElseThrow();
    assertEquals(2, m.document().version());

    store.revoke(d.id(), "carol");
    assertEquals(0, index.size());
    assertEquals(Optional.empty(), index.match("m", "t", "where is the office?", null, 0));
  }

  @Test
  void over_existingStore_buildsFromActiveDocumentsOnly() {
    Document kept = create("How do I reset my password?", DocScope.any());
    Document revoked = create("What is the refund window?", DocScope.any());
    store.revoke(revoked.id(), "bob");
    DocumentIndex index = DocumentIndex.over(store, this::embed);
    assertEquals(1, index.size());
    assertEquals(Optional.of(kept.id()), matchedId(index.match("m", "t", "q", atCosine(1), 0.5)));
    assertEquals(
        Optional.empty(),
        matchedId(index.match("m", "t", "What is the refund window?", null, 0.5)));
  }

  @Test
  void match_questionTheEmbedderCannotEmbed_stillMatchesByText() {
    Document d = create("Who signs the invoices?", DocScope.any());
    DocumentIndex index = DocumentIndex.over(store, this::embed);
    assertEquals(
        Optional.of(d.id()),
        matchedId(index.match("m", "t", "who signs the invoices?", atCosine(0), 0.9)));
    assertEquals(Optional.empty(), index.match("m", "t", "invoice signer", atCosine(1), 0.0));
  }

  @Test
  void match_invalidArguments() {
    create("How do I reset my password?", DocScope.any());
    DocumentIndex index = DocumentIndex.over(store, this::embed);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> index.match("m", "t", "q", new float[] {1, 0}, 0.5));
    assertEquals("queryVector has dimension 2 but the index holds 4", e.getMessage());
    var e2 =
        assertThrows(IllegalArgumentException.class, () -> index.match("m", "t", "q", null, 1.5));
    assertEquals("threshold must be between 0 and 1 but was 1.5", e2.getMessage());
    var e3 =
        assertThrows(
            IllegalArgumentException.class,
            () -> index.match("m", "t", "q", new float[] {0, 0, 0, 0}, 0.5));
    assertEquals("queryVector must not be the zero vector", e3.getMessage());
  }

  @Test
  void normalize_foldsCaseAndWhitespace() {
    assertEquals("reset my password", DocumentIndex.normalize("  Reset\u00a0 MY\n\tpassword "));
    assertTrue(
        DocumentIndex.normalize("Caf\u0065\u0301").equals(DocumentIndex.normalize("CAF\u00c9")));
  }
}
