package dev.bound.index.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JcsTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Test
  void string_sortsKeysByUtf16CodeUnits() {
    // The keys of RFC 8785 section 3.2.3: a supplementary character (a surrogate pair, 0xD83D)
    // sorts before U+FB33 although its code point is larger.
    ObjectNode n = F.objectNode();
    n.put("\u20ac", 1);
    n.put("\r", 2);
    n.put("\ufb33", 3);
    n.put("1", 4);
    n.put("\ud83d\ude00", 5);
    n.put("\u0080", 6);
    n.put("\u00f6", 7);
    assertEquals(
        "{\"\\r"
            + "\":2,\"1\":4,\"\u0080\":6,\"\u00f6\":7,\"\u20ac\":1,\"\ud83d\ude00\":5,\"\ufb33\":3}",
        Jcs.string(n));
  }

  @Test
  void string_escapesOnlyQuoteBackslashAndControls() {
    String in = "\u20ac$\u000f\nA'B\"\\/\u007f\u2028\b\f\r\t\u0000";
    assertEquals(
        "\"\u20ac$\\u000f\\nA'B\\\"\\\\/\u007f\u2028\\b\\f\\r\\t\\u0000\"",
        Jcs.string(F.textNode(in)));
  }

  @Test
  void string_nestedValuesAndNoWhitespace() {
    ObjectNode n = F.objectNode();
    n.putArray("b").add(3).add(F.nullNode()).add(true).add("x");
    n.putObject("a").put("z", -9007199254740991L).put("y", false);
    assertEquals(
        "{\"a\":{\"y\":false,\"z\":-9007199254740991},\"b\":[3,null,true,\"x\"]}", Jcs.string(n));
  }

  @Test
  void bytes_areUtf8() {
    assertArrayEquals("\"\u00e9\"".getBytes(StandardCharsets.UTF_8), Jcs.bytes(F.textNode("é")));
  }

  @Test
  void string_floatRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> Jcs.string(F.numberNode(1.5)));
    assertEquals("canonical JSON here holds integers only, not 1.5", e.getMessage());
  }

  @Test
  void string_integerBeyondTwoToThe53Refused() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> Jcs.string(F.numberNode(9007199254740992L)));
    assertEquals(
        "canonical JSON here holds integers up to 2^53-1 in magnitude, not 9007199254740992",
        e.getMessage());
  }

  @Test
  void string_unpairedSurrogateRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> Jcs.string(F.textNode("a\ud800")));
    assertEquals("string must not contain an unpaired surrogate", e.getMessage());
  }
}
