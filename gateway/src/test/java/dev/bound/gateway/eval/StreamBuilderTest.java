package dev.bound.gateway.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.gateway.eval.QuestionStream.Question;
import dev.bound.models.match.PairEvaluation.LabelledPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamBuilderTest {
  /** 40 components: 30 with a duplicate pair (a, a2, and a look-alike b), 10 look-alikes only. */
  private static List<LabelledPair> pairs() {
    List<LabelledPair> out = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      out.add(new LabelledPair("dup a" + i, "dup a2 " + i, true));
      out.add(new LabelledPair("dup a" + i, "dup b" + i, false));
    }
    for (int i = 0; i < 10; i++) {
      out.add(new LabelledPair("alike x" + i, "alike y" + i, false));
    }
    return out;
  }

  @Test
  void build_takesWholeComponentsWithConsistentClusters() {
    List<Question> s = StreamBuilder.build(pairs(), null, 1000, 1);
    assertEquals(90, taken(s, "dup ")); // every component with a duplicate pair
    assertEquals(s.size(), 90 + 2 * taken(s, "alike x"));
    Map<String, String> cluster = new HashMap<>();
    Map<String, String> group = new HashMap<>();
    s.forEach(q -> cluster.put(q.text(), q.cluster()));
    s.forEach(q -> group.put(q.text(), q.group()));
    for (int i = 0; i < 30; i++) {
      if (cluster.containsKey("dup a" + i)) {
        assertEquals(cluster.get("dup a" + i), cluster.get("dup a2 " + i));
        assertNotEquals(cluster.get("dup a" + i), cluster.get("dup b" + i));
        // the look-alike was compared with a by a label: same group; other components differ
        assertEquals(group.get("dup a" + i), group.get("dup b" + i));
        assertNotEquals(null, group.get("dup a" + i));
        for (int j = 0; j < i; j++) {
          if (group.containsKey("dup a" + j)) {
            assertNotEquals(group.get("dup a" + j), group.get("dup a" + i));
          }
        }
      }
    }
    assertEquals(s.size(), new HashSet<>(s).size());
  }

  @Test
  void build_keepsAFifthLookAlikesAndStopsAtTheLimit() {
    List<Question> s = StreamBuilder.build(pairs(), null, 50, 7);
    assertTrue(s.size() >= 48 && s.size() <= 50, "questions: " + s.size());
    int lookalike = (int) s.stream().filter(q -> q.text().startsWith("alike")).count();
    assertTrue(lookalike >= 8 && lookalike <= 12, "look-alike questions: " + lookalike);
    Set<String> texts = new HashSet<>(s.stream().map(Question::text).toList());
    for (int i = 0; i < 30; i++) { // components are taken whole or not at all
      boolean a = texts.contains("dup a" + i);
      assertEquals(a, texts.contains("dup a2 " + i));
      assertEquals(a, texts.contains("dup b" + i));
    }
  }

  @Test
  void build_sameSeedSameStream_otherSeedOtherOrder() {
    assertEquals(StreamBuilder.build(pairs(), null, 60, 3), StreamBuilder.build(pairs(), null,
        60, 3));
    assertNotEquals(StreamBuilder.build(pairs(), null, 60, 3), StreamBuilder.build(pairs(), null,
        60, 4));
  }

  private static int taken(List<Question> s, String prefix) {
    return (int) s.stream().filter(q -> q.text().startsWith(prefix)).count();
  }
}
