package dev.bound.gateway.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bound.gateway.docs.WordDiff.Op;
import dev.bound.gateway.docs.WordDiff.Part;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordDiffTest {

  @Test
  void diff_sameText_oneSameRun() {
    assertEquals(List.of(new Part(Op.SAME, "one two three")),
        WordDiff.diff("one two three", "one two three"));
  }

  @Test
  void diff_changedWord_removedThenAdded() {
    assertEquals(List.of(new Part(Op.SAME, "Run the "), new Part(Op.REMOVED, "old "),
        new Part(Op.ADDED, "new "), new Part(Op.SAME, "command.")),
        WordDiff.diff("Run the old command.", "Run the new command."));
  }

  @Test
  void diff_insertedAndDeletedWords_keepCommonOnes() {
    List<Part> parts = WordDiff.diff("a b c d", "a c d e");
    assertEquals(List.of(new Part(Op.SAME, "a "), new Part(Op.REMOVED, "b "),
        new Part(Op.SAME, "c d "), new Part(Op.ADDED, "e")), parts);
  }

  @Test
  void diff_spacingOnly_isNoChange() {
    assertEquals(List.of(new Part(Op.SAME, "a  b\nc")), WordDiff.diff("a b c", "a  b\nc"));
  }

  @Test
  void diff_emptyBefore_allAdded() {
    assertEquals(List.of(new Part(Op.ADDED, "new text")), WordDiff.diff("", "new text"));
  }

  @Test
  void diff_tooLargeForTable_replacesMiddleWhole() {
    StringBuilder a = new StringBuilder("start ");
    StringBuilder b = new StringBuilder("start ");
    for (int i = 0; i < 2100; i++) {
      a.append("x").append(i).append(' ');
      b.append("y").append(i).append(' ');
    }
    List<Part> parts = WordDiff.diff(a + "end", b + "end");
    assertEquals(4, parts.size(), parts.toString().substring(0, 200));
    assertEquals(Op.REMOVED, parts.get(1).op());
    assertEquals(Op.ADDED, parts.get(2).op());
  }
}
