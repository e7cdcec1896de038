package dev.bound.index.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bound.index.docs.PromptGroups.Group;
import dev.bound.index.docs.PromptGroups.Item;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PromptGroupsTest {

  // Hand-made 4-d embeddings: axis 0 is "password reset", axis 2 "weather in Paris", axis 3
  // "pizza"; paraphrases lean a little toward other axes.
  private static final List<Item> ITEMS =
      List.of(
          new Item("How do I reset my password?", new float[] {1, 0, 0, 0}, 40, "e1"),
          new Item("password reset steps", new float[] {0.95f, 0.2f, 0, 0}, 25, "e2"),
          new Item("I forgot my password", new float[] {0.9f, 0.3f, 0.1f, 0}, 5, "e3"),
          new Item("What's the weather in Paris?", new float[] {0, 0, 1, 0}, 30, "e4"),
          new Item("Paris weather today", new float[] {0, 0.1f, 0.97f, 0.1f}, 20, "e5"),
          new Item("best pizza near me", new float[] {0, 0, 0, 1}, 7, "e6"));

  @Test
  void cluster_paraphrasesTogether_unrelatedApart() {
    List<Group> groups = PromptGroups.cluster(ITEMS, 0.85);
    assertEquals(3, groups.size());

    Group password = groups.get(0);
    assertEquals("e1", password.representativeEntryId());
    assertEquals("How do I reset my password?", password.representativePrompt());
    assertEquals(70, password.totalCount());
    assertEquals(List.of("e1", "e2", "e3"), password.entryIds());
    assertEquals(
        List.of("How do I reset my password?", "password reset steps", "I forgot my password"),
        password.examples());

    Group weather = groups.get(1);
    assertEquals("e4", weather.representativeEntryId());
    assertEquals(50, weather.totalCount());
    assertEquals(List.of("e4", "e5"), weather.entryIds());

    Group pizza = groups.get(2);
    assertEquals(List.of("e6"), pizza.entryIds());
    assertEquals(7, pizza.totalCount());
  }

  @Test
  void cluster_inputOrderDoesNotMatter() {
    List<Group> expected = PromptGroups.cluster(ITEMS, 0.85);
    List<Item> shuffled = new ArrayList<>(ITEMS);
    Collections.shuffle(shuffled, new Random(7));
    assertEquals(expected, PromptGroups.cluster(shuffled, 0.85));
  }

  @Test
  void cluster_threshold_one_keepsEveryDistinctVectorApart() {
    assertEquals(6, PromptGroups.cluster(ITEMS, 1.0).size());
    assertEquals(1, PromptGroups.cluster(ITEMS, -1.0).size());
  }

  @Test
  void cluster_joinsTheMostSimilarLeader() {
    // "b" is close to both leaders but closer to the second, so it joins that one.
    List<Item> items =
        List.of(
            new Item("a", new float[] {1, 0}, 10, "a"),
            new Item("c", new float[] {0, 1}, 9, "c"),
            new Item("b", new float[] {0.6f, 0.8f}, 1, "b"));
    List<Group> groups = PromptGroups.cluster(items, 0.5);
    assertEquals(List.of("a"), groups.get(0).entryIds());
    assertEquals(List.of("c", "b"), groups.get(1).entryIds());
  }

  @Test
  void cluster_examplesAreCapped() {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      items.add(new Item("prompt " + i, new float[] {1, 0.01f * i}, 100 - i, "e" + i));
    }
    Group g = PromptGroups.cluster(items, 0.9).getFirst();
    assertEquals(8, g.entryIds().size());
    assertEquals(List.of("prompt 0", "prompt 1", "prompt 2", "prompt 3", "prompt 4"), g.examples());
  }

  @Test
  void item_invalidVectorRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new Item("p", new float[2], 1, "e"));
    assertEquals("vector must not be the zero vector", e.getMessage());
    var e2 =
        assertThrows(IllegalArgumentException.class, () -> new Item("p", new float[] {1}, -1, "e"));
    assertEquals("count must be >= 0 but was -1", e2.getMessage());
  }
}
