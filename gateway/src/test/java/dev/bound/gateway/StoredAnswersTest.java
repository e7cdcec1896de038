package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.index.Entry;
import org.junit.jupiter.api.Test;

class StoredAnswersTest {
  private static final String ANSWER = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
      + "\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Two.\"},\"finish_reason\":\"stop\"}]}";

  private static Entry entry(String id, String response) {
    return new Entry(id, "scope", "key", "how many moons?", null, "m", response, 1L);
  }

  /** Only the parsed-answer cache is used here; the rest of serving is not. */
  private final StoredAnswers stored =
      new StoredAnswers(null, null, null, null, null, null, null, null, null);

  @Test
  void aStoredAnswerIsReadOnce_andItsTemplateWritesWhatTheTreeWould() {
    StoredAnswers.Parsed first = stored.parsed(entry("e1", ANSWER));
    assertSame(first, stored.parsed(entry("e1", ANSWER)));

    ObjectNode fresh = first.answer().deepCopy();
    fresh.put("id", "chatcmpl-Abc123");
    fresh.put("created", 1_764_770_000L);
    assertArrayEquals(Json.bytes(fresh), first.template().fill("chatcmpl-Abc123", 1_764_770_000L));
    assertEquals("chatcmpl-1", first.answer().path("id").asText(), "the tree is left as stored");
  }

  @Test
  void anotherTextUnderTheSameId_isParsedAfresh() {
    stored.parsed(entry("e1", ANSWER));
    ObjectNode other = stored.parsed(entry("e1", ANSWER.replace("Two.", "Three."))).answer();
    assertEquals("Three.", other.path("choices").get(0).path("message").path("content").asText());
  }

  @Test
  void textThatIsNotAnObject_isNull() {
    assertNull(stored.parsed(entry("e2", "[1,2]")));
    assertNull(stored.parsed(entry("e3", "{not json")));
  }

  @Test
  void randomBytes_handsOutEachByteOnce_acrossRefills() throws Exception {
    // A small pool refills every two draws; an id drawn twice would show as a repeat.
    StoredAnswers.RandomBytes bytes = new StoredAnswers.RandomBytes(
        java.security.SecureRandom.getInstance("SHA1PRNG"), 50);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      byte[] b = new byte[24];
      bytes.next(b);
      assertTrue(seen.add(java.util.HexFormat.of().formatHex(b)), "draw " + i + " repeated");
    }
    byte[] big = new byte[64];
    bytes.next(big); // larger than the pool: read directly
    assertTrue(seen.add(java.util.HexFormat.of().formatHex(big)));
  }
}
