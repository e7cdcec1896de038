package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EntryTest {

  private static Entry entry(float[] vector) {
    return new Entry("id-1", "scope-1", "key-1", "what is 2+2?", vector, "gpt-x", "{\"a\":4}", 5L);
  }

  @Test
  void withVector_keepsEverythingElse_andCopiesTheVector() {
    Entry e = new Entry("ent_1", "scope", "key", "prompt", null, "model", "{}", 42L, "t");
    float[] v = {0.6f, 0.8f};
    Entry w = e.withVector(v);
    v[0] = 9;
    assertArrayEquals(new float[] {0.6f, 0.8f}, w.vector());
    assertEquals(new Entry("ent_1", "scope", "key", "prompt", null, "model", "{}", 42L, "t"),
        w.withVector(null));
    assertNull(e.vector());
    assertEquals("t", w.tenant());
    assertEquals(42L, w.createdMillis());
  }

  @Test
  void entry_blankId_isRejectedWithMessage() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Entry("  ", "s", "k", "p", null, "m", "r", 0));
    assertEquals("id must not be blank", e.getMessage());
  }

  @Test
  void entry_blankScopeAndExactKey_areRejected() {
    assertEquals(
        "scope must not be blank",
        assertThrows(IllegalArgumentException.class, () -> new Entry("i", "", "k", "p", null, "m", "r", 0))
            .getMessage());
    assertEquals(
        "exactKey must not be blank",
        assertThrows(IllegalArgumentException.class, () -> new Entry("i", "s", "\t", "p", null, "m", "r", 0))
            .getMessage());
  }

  @Test
  void entry_nullTextFields_areRejected() {
    assertEquals(
        "response must not be null",
        assertThrows(NullPointerException.class, () -> new Entry("i", "s", "k", "p", null, "m", null, 0))
            .getMessage());
    assertEquals(
        "id must not be null",
        assertThrows(NullPointerException.class, () -> new Entry(null, "s", "k", "p", null, "m", "r", 0))
            .getMessage());
  }

  @Test
  void entry_emptyPromptAndResponse_areAllowed() {
    Entry e = new Entry("i", "s", "k", "", null, "m", "", 0);
    assertEquals("", e.prompt());
  }

  @Test
  void entry_negativeCreated_isRejectedWithMessage() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Entry("i", "s", "k", "p", null, "m", "r", -1));
    assertEquals("createdMillis must be >= 0 but was -1", e.getMessage());
  }

  @Test
  void entry_emptyOrNonFiniteVector_isRejected() {
    assertEquals(
        "vector must not be empty (use null for an entry without an embedding)",
        assertThrows(IllegalArgumentException.class, () -> entry(new float[0])).getMessage());
    assertEquals(
        "vector[1] must be finite but was NaN",
        assertThrows(IllegalArgumentException.class, () -> entry(new float[] {1f, Float.NaN}))
            .getMessage());
    assertEquals(
        "vector[0] must be finite but was Infinity",
        assertThrows(
                IllegalArgumentException.class,
                () -> entry(new float[] {Float.POSITIVE_INFINITY}))
            .getMessage());
  }

  @Test
  void entry_nullVector_isAnExactOnlyEntry() {
    Entry e = entry(null);
    assertNull(e.vector());
    assertFalse(e.hasVector());
  }

  @Test
  void entry_equalsAndHashCode_compareVectorContents() {
    Entry a = entry(new float[] {1f, 0f});
    Entry b = entry(new float[] {1f, 0f});
    Entry c = entry(new float[] {0f, 1f});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, c);
    assertNotEquals(a, entry(null));
  }

  @Test
  void entry_vector_isDefensivelyCopied() {
    float[] v = {1f, 2f};
    Entry e = entry(v);
    v[0] = 99f;
    assertArrayEquals(new float[] {1f, 2f}, e.vector());
    e.vector()[1] = 99f;
    assertArrayEquals(new float[] {1f, 2f}, e.vector());
  }

  @Test
  void entry_toString_omitsResponsePromptAndVector() {
    String big = "x".repeat(10_000);
    Entry e = new Entry("id-7", "s", "k", "secret prompt", new float[384], "m", "{\"r\":\"" + big + "\"}", 1);
    String s = e.toString();
    assertTrue(s.contains("id-7"), s);
    assertTrue(s.contains("384 dims"), s);
    assertFalse(s.contains("secret prompt"), s);
    assertFalse(s.contains("xxxxxxxx"), s);
    assertTrue(s.length() < 300, s);
  }

  @Test
  void storeOptions_dimensionOutOfRange_isRejectedWithMessage() {
    assertEquals(
        "dimension must be between 1 and 4096 but was 0",
        assertThrows(IllegalArgumentException.class, () -> new StoreOptions("m", 0, 0)).getMessage());
    assertEquals(
        "dimension must be between 1 and 4096 but was 4097",
        assertThrows(IllegalArgumentException.class, () -> new StoreOptions("m", 4097, 0))
            .getMessage());
  }

  @Test
  void storeOptions_negativeHotTier_isRejectedWithMessage() {
    assertEquals(
        "hotTierMaxBytes must be >= 0 but was -1",
        assertThrows(IllegalArgumentException.class, () -> new StoreOptions("m", 4, -1)).getMessage());
  }

  @Test
  void storeOptions_blankModel_isRejectedWithMessage() {
    assertEquals(
        "embeddingModel must not be blank",
        assertThrows(IllegalArgumentException.class, () -> new StoreOptions(" ", 4, 0)).getMessage());
  }

  @Test
  void candidate_similarityOutsideCosineRange_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Candidate(entry(null), 1.5f));
    assertThrows(IllegalArgumentException.class, () -> new Candidate(entry(null), Float.NaN));
    assertEquals(-1f, new Candidate(entry(null), -1f).similarity());
  }
}
