package dev.bound.gateway.sim;

import java.util.SplittableRandom;

/** The made-up answer: a sentence naming the question, then a few sentences of filler words. */
final class Prose {
  private static final String[] WORDS = ("the a cache model answer energy token prompt request "
      + "gateway index vector server client reuse saves computes returns stores reads finds "
      + "quickly carefully again once every each other same new old small large simple useful "
      + "question context memory power carbon latency throughput batch layer weight attention "
      + "user admin document signed version scope tenant system message stream response "
      + "because while when where after before so and but or with from into over for of to "
      + "is are was can will should may often rarely usually").split(" ");

  private Prose() {}

  /** The answer for a prompt: the same prompt and model always give the same words. */
  static String answer(String model, String prompt, String question) {
    SplittableRandom rnd = new SplittableRandom(SimulatedUpstream.seed(model + '\u0000' + prompt));
    StringBuilder sb = new StringBuilder("This is a simulated answer to \"")
        .append(brief(question, 60)).append("\".");
    int sentences = 2 + rnd.nextInt(4);
    for (int s = 0; s < sentences; s++) {
      int words = 6 + rnd.nextInt(9);
      for (int w = 0; w < words; w++) {
        String word = WORDS[rnd.nextInt(WORDS.length)];
        if (w == 0) {
          word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
        }
        sb.append(' ').append(word);
      }
      sb.append('.');
    }
    return sb.toString();
  }

  /** The text on one line, cut to {@code max} characters with an ellipsis when longer. */
  static String brief(String text, int max) {
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() > max ? line.substring(0, max).strip() + "..." : line;
  }
}
