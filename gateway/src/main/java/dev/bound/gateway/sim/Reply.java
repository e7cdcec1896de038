package dev.bound.gateway.sim;

import java.util.List;

/** What the simulated model answers, before any protocol gives it a shape. */
sealed interface Reply {
  /** The pieces the reply streams in, one per paced token. */
  List<String> pieces();

  /** The reply's size for usage figures. */
  int outputTokens();

  /** Why a text reply ended. */
  enum Finish { STOP, LENGTH, STOP_SEQUENCE }

  /**
   * Text: prose, or JSON when the client asked for it.
   *
   * @param stopSequence the stop text that ended it, or null unless {@code finish} is
   *     STOP_SEQUENCE
   */
  record Text(List<String> pieces, Finish finish, String stopSequence) implements Reply {
    public Text {
      pieces = List.copyOf(pieces);
    }

    String text() {
      return String.join("", pieces);
    }

    @Override
    public int outputTokens() {
      return pieces.size();
    }
  }

  /** A call to one of the offered tools, its arguments a JSON object in text. */
  record ToolCall(String name, String arguments) implements Reply {
    @Override
    public List<String> pieces() {
      return Tokens.split(arguments);
    }

    @Override
    public int outputTokens() {
      return Tokens.count(name) + Tokens.count(arguments);
    }
  }
}
