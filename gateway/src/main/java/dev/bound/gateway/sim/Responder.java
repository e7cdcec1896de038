package dev.bound.gateway.sim;

import static dev.bound.gateway.sim.Requests.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.sim.Conversation.Tool;
import dev.bound.gateway.sim.Conversation.ToolChoice.Mode;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Decides what the simulated model answers, for every protocol alike: a call to an offered tool
 * when the client forces one or the user asks for one; otherwise text, which is the scripted
 * answer if there is one, JSON when the client asked for JSON, a word on the tool's result when
 * the conversation returns one, and made-up prose in all other cases.
 */
final class Responder {
  private static final Pattern ASKS_FOR_A_TOOL =
      Pattern.compile("\\buse (?:a|the) tool\\b|\\bcall\\b", Pattern.CASE_INSENSITIVE);

  private final Function<String, String> answers;
  /** Whether answers above temperature 0 vary from call to call, as a sampling model's do. */
  private volatile boolean sampling;
  private final java.util.concurrent.atomic.AtomicLong draws =
      new java.util.concurrent.atomic.AtomicLong();

  /** @param answers gets the last message's text; returns the answer's text, or null for none */
  Responder(Function<String, String> answers) {
    this.answers = answers;
  }

  Reply reply(Conversation c) {
    Tool tool = toolToCall(c);
    if (tool != null) {
      return new Reply.ToolCall(tool.name(), arguments(tool, c));
    }
    return limited(text(c), c);
  }

  /**
   * The tool to call, or null to answer in text. A conversation that ends with a tool's result is
   * answered in text even when a tool is forced, so that a client's tool loop ends.
   */
  static Tool toolToCall(Conversation c) {
    if (c.tools().isEmpty() || c.toolResult() != null || c.toolChoice().mode() == Mode.NONE) {
      return null;
    }
    Tool mentioned = mentioned(c.tools(), c.userText());
    return switch (c.toolChoice().mode()) {
      case NAMED -> c.tools().stream().filter(t -> t.name().equals(c.toolChoice().name()))
          .findFirst().orElseThrow(() -> new BadRequest("tool_choice names '"
              + c.toolChoice().name() + "', which is not among the tools"));
      case REQUIRED -> mentioned != null ? mentioned : c.tools().getFirst();
      default -> mentioned != null ? mentioned
          : ASKS_FOR_A_TOOL.matcher(c.userText()).find() ? c.tools().getFirst() : null;
    };
  }

  /** The first tool whose name the text contains, as written or with spaces for underscores. */
  private static Tool mentioned(List<Tool> tools, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (Tool t : tools) {
      String name = t.name().toLowerCase(Locale.ROOT);
      if (!name.isBlank() && (wholeWord(lower, name) || wholeWord(lower, name.replace('_', ' ')))) {
        return t;
      }
    }
    return null;
  }

  private static boolean wholeWord(String text, String phrase) {
    return Pattern.compile("(?<![\\p{L}\\p{N}_])" + Pattern.quote(phrase) + "(?![\\p{L}\\p{N}_])")
        .matcher(text).find();
  }

  private static String arguments(Tool tool, Conversation c) {
    JsonNode params = tool.parameters();
    if (!params.isObject() || params.isEmpty()) {
      return "{}";
    }
    long seed = SimulatedUpstream.seed(c.model() + '\u0000' + c.prompt() + '\u0000' + tool.name());
    JsonNode args = new SchemaFiller(params, PromptWords.of(c.userText()), seed).fill();
    return args.isObject() ? args.toString() : "{}";
  }

  /** Makes answers above temperature 0 vary from call to call (off: the same every time). */
  void sampling(boolean on) {
    sampling = on;
  }

  private String text(Conversation c) {
    String scripted = answers.apply(c.question());
    if (scripted != null) {
      return scripted;
    }
    String prose = c.toolResult() != null
        ? "The tool returned: " + Prose.brief(c.toolResult(), 200)
        : Prose.answer(c.model(), sampling && c.temperature() > 0
            ? c.prompt() + "\u0000draw " + draws.incrementAndGet() : c.prompt(), c.question());
    return switch (c.format().kind()) {
      case TEXT -> prose;
      case JSON_OBJECT -> JSON.createObjectNode().put("answer", prose).toString();
      case JSON_SCHEMA -> {
        String source = c.toolResult() == null ? c.userText() : c.userText() + ' ' + c.toolResult();
        long seed = SimulatedUpstream.seed(c.model() + '\u0000' + c.prompt() + "\u0000json");
        yield new SchemaFiller(c.format().schema(), PromptWords.of(source), seed).fill().toString();
      }
    };
  }

  /** The text cut at the first stop text, then to the token limit. */
  private static Reply.Text limited(String text, Conversation c) {
    Reply.Finish finish = Reply.Finish.STOP;
    String stop = null;
    int cut = -1;
    for (String s : c.stops()) {
      int at = s.isEmpty() ? -1 : text.indexOf(s);
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
        stop = s;
      }
    }
    if (cut >= 0) {
      text = text.substring(0, cut);
      finish = Reply.Finish.STOP_SEQUENCE;
    }
    List<String> pieces = Tokens.split(text);
    if (c.maxTokens() > 0 && pieces.size() > c.maxTokens()) {
      return new Reply.Text(pieces.subList(0, c.maxTokens()), Reply.Finish.LENGTH, null);
    }
    return new Reply.Text(pieces, finish, stop);
  }
}
