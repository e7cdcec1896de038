package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnswerTemplateTest {
  /** What serving wrote before templates: the tree copied, its id and time set, written. */
  private static byte[] written(ObjectNode answer, String id, long created) {
    ObjectNode copy = answer.deepCopy();
    copy.put("id", id);
    copy.put("created", created);
    return Json.bytes(copy);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // as the upstream sent it
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Two.\"},"
          + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,"
          + "\"completion_tokens\":1,\"total_tokens\":4}}",
      // the time before the id, and ids of tool calls inside
      "{\"created\":5,\"object\":\"chat.completion\",\"id\":\"x\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":"
          + "\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":"
          + "\"{\\\"id\\\":\\\"a\\\",\\\"created\\\":2}\"}}]},\"finish_reason\":\"tool_calls\"}]}",
      // neither given: both are added at the end
      "{\"object\":\"text_completion\",\"choices\":[{\"text\":\"é ü 日本 \\ud83d\\ude00 "
          + "\\\"quoted\\\" \\\\ \\n tab\\t\",\"index\":0}]}",
      // numbers and nesting Jackson writes its own way
      "{\"id\":null,\"created\":1.5e3,\"choices\":[],\"usage\":{\"cost\":0.000125,\"n\":-0.0}}"
  })
  void fillingTheTemplate_givesTheBytesOfTheAnswerWrittenWithTheSameIdAndTime(String json)
      throws Exception {
    ObjectNode answer = (ObjectNode) Json.MAPPER.readTree(json);
    AnswerTemplate t = AnswerTemplate.of(answer);
    assertNotNull(t);
    for (String id : new String[] {"chatcmpl-abcDEF123", "cmpl-", "msg_0123456789abcdefghijklmn"}) {
      for (long created : new long[] {0, 1_764_770_000L, Long.MAX_VALUE}) {
        assertArrayEquals(written(answer, id, created), t.fill(id, created), id + " " + created);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"choices\":[{\"message\":{\"content\":\"x\",\"id\":\"bound-template-id-3f9c2a7e51d0\"}}]}",
      "{\"choices\":[{\"message\":{\"content\":\"x\",\"created\":7318349394477056}}]}"
  })
  void anAnswerThatHoldsAMarkItself_hasNoTemplate(String json) throws Exception {
    assertNull(AnswerTemplate.of((ObjectNode) Json.MAPPER.readTree(json)));
  }
}
