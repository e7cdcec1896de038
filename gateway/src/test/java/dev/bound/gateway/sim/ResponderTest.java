package dev.bound.gateway.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.MissingNode;
import dev.bound.gateway.sim.Conversation.Tool;
import dev.bound.gateway.sim.Conversation.ToolChoice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the simulator calls a tool, decided without a server. */
class ResponderTest {
  static final List<Tool> TOOLS = List.of(new Tool("search", "", MissingNode.getInstance()),
      new Tool("get_time", "", MissingNode.getInstance()));

  static Conversation ask(String text, ToolChoice choice) {
    return new Conversation.Builder().message("user", text).tools(TOOLS).toolChoice(choice)
        .build("m");
  }

  static String called(String text) {
    Tool t = Responder.toolToCall(ask(text, ToolChoice.AUTO));
    return t == null ? null : t.name();
  }

  @Test
  void toolToCall_readsWholeWordsOnly() {
    assertEquals("search", called("Search the docs"));
    assertEquals("get_time", called("what does GET TIME say"));
    assertEquals("get_time", called("run get_time now"));
    assertNull(called("I did some research")); // not "search"
    assertNull(called("I recall nothing")); // not "call"
    assertEquals("search", called("call something")); // a call, of the first tool
  }

  @Test
  void toolToCall_afterAToolResult_isNone() {
    Conversation c = new Conversation.Builder().message("user", "use the tool")
        .message("tool", "42").toolResult("42").tools(TOOLS).toolChoice(ToolChoice.REQUIRED)
        .build("m");
    assertNull(Responder.toolToCall(c));
  }

  @Test
  void reply_toolWithoutParameters_getsEmptyArguments() {
    Reply r = new Responder(q -> null).reply(ask("use the tool", ToolChoice.AUTO));
    assertEquals(new Reply.ToolCall("search", "{}"), r);
  }

  @Test
  void reply_scriptedAnswer_isCutToTheLimit() {
    Conversation c = new Conversation.Builder().message("user", "q").maxTokens(2).build("m");
    Reply r = new Responder(q -> "one two three").reply(c);
    assertEquals(new Reply.Text(List.of("one", " two"), Reply.Finish.LENGTH, null), r);
  }
}
