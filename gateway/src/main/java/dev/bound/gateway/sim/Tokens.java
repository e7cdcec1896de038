package dev.bound.gateway.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's token rule: every run of letters or digits, and every other non-space character,
 * is one token, carrying the whitespace before it so that the tokens join back into the text.
 */
final class Tokens {
  private static final Pattern TOKEN = Pattern.compile("\\s*(?:[\\p{L}\\p{N}]+|[^\\s\\p{L}\\p{N}])");

  private Tokens() {}

  /** Splits text into tokens that concatenate back to it (less any trailing whitespace). */
  static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  static int count(String text) {
    int n = 0;
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      n++;
    }
    return n;
  }
}
