package dev.bound.gateway.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON generator on its own, without a server: fitting values, prompt words, limits. */
class SchemaFillerTest {
  static JsonNode fill(String schema, String prompt, long seed) {
    return new SchemaFiller(SimClient.parse(schema), PromptWords.of(prompt), seed).fill();
  }

  static void assertFits(String schema, JsonNode value) {
    assertEquals(List.of(), SchemaCheck.problems(SimClient.parse(schema), value), value.toString());
  }

  @Test
  void fill_recursiveSchema_stopsAtOptionalParts() {
    String tree = """
        {"$ref":"#/$defs/Node","$defs":{"Node":{"type":"object","required":["name"],
          "properties":{"name":{"type":"string"},
            "children":{"type":"array","items":{"$ref":"#/$defs/Node"}}}}}}""";
    JsonNode v = fill(tree, "family tree of Ada", 1);
    assertFits(tree, v);
    assertEquals("Ada", v.path("name").asText());
    assertEquals(2, v.path("children").size());
  }

  @Test
  void fill_refOutsideTheSchema_isRefused() {
    BadRequest e = assertThrows(BadRequest.class,
        () -> fill("{\"$ref\":\"#/$defs/Missing\"}", "x", 1));
    assertEquals("the schema's $ref '#/$defs/Missing' does not point into the schema",
        e.getMessage());
  }

  @Test
  void fill_stringsKeepToFormatsAndLengths() {
    String schema = """
        {"type":"object","properties":{
          "long":{"type":"string","minLength":30,"maxLength":32},
          "short":{"type":"string","maxLength":3},
          "site":{"type":"string","format":"uri"},
          "at":{"type":"string","format":"date-time"},
          "id":{"type":"string","format":"uuid"}}}""";
    JsonNode v = fill(schema, "describe the caching gateway", 7);
    assertFits(schema, v);
    assertTrue(v.path("site").asText().startsWith("https://example.com/"));
  }

  @Test
  void fill_numbersKeepToTheirBounds() {
    String schema = """
        {"type":"object","properties":{
          "low":{"type":"integer","maximum":-500},
          "high":{"type":"number","minimum":1e6},
          "open":{"type":"number","exclusiveMinimum":2,"exclusiveMaximum":2.01},
          "fives":{"type":"integer","minimum":7,"maximum":40,"multipleOf":5},
          "count":{"type":"integer","minimum":0,"maximum":1000}}}""";
    for (long seed = 0; seed < 50; seed++) {
      assertFits(schema, fill(schema, "no numbers here", seed));
    }
    assertEquals(617, fill(schema, "keep 617 of them", 1).path("count").asInt()); // fits only it
  }

  @Test
  void fill_sameSeedSameValue_otherPromptOtherValue() {
    String schema = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},"
        + "\"b\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"n\":{\"type\":\"number\"}}}";
    assertEquals(fill(schema, "alpha beta gamma", 3), fill(schema, "alpha beta gamma", 3));
    assertNotEquals(fill(schema, "alpha beta gamma", 3), fill(schema, "delta epsilon", 3));
  }

  @Test
  void fill_uniqueEnumItems_takeDifferentValues() {
    String schema = "{\"type\":\"array\",\"minItems\":3,\"uniqueItems\":true,"
        + "\"items\":{\"type\":\"string\",\"enum\":[\"red\",\"green\",\"blue\"]}}";
    JsonNode v = fill(schema, "colours please", 1);
    assertFits(schema, v);
    assertEquals(3, v.size());
  }

  @Test
  void fill_schemaAllowingAnything_givesJson() {
    assertTrue(fill("{}", "anything at all", 1).isTextual());
    assertTrue(fill("{\"type\":[\"null\"]}", "x", 1).isNull());
  }

  @Test
  void keyWord_isANameInTheSentence_elseTheLastWord() {
    assertEquals("Paris", PromptWords.of("What about Paris and Rome?").keyOnce());
    assertEquals("nice", PromptWords.of("Paris is nice").keyOnce());
    assertEquals("simulated", PromptWords.of("").keyOnce());
    PromptWords once = PromptWords.of("hello there");
    assertEquals("there", once.keyOnce());
    assertEquals(null, once.keyOnce());
  }
}
