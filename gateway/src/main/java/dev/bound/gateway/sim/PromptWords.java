package dev.bound.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt's words and numbers, handed out in turn to fill the strings and numbers of generated
 * JSON, so that what the simulator makes up reads as if it came from the question.
 */
final class PromptWords {
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final Pattern NUMBER =
      Pattern.compile("(?<![\\p{L}\\p{N}.])-?\\d+(?:\\.\\d+)?(?![\\p{L}\\p{N}])");
  private static final List<String> FALLBACK = List.of("simulated", "value");

  private final String lowerText;
  private final List<String> words;
  private final String key;
  private final List<Double> numbers;
  private final boolean[] numberGiven;
  private int nextWord;
  private boolean keyGiven;

  private PromptWords(String text, List<String> words, String key, List<Double> numbers) {
    this.lowerText = text.toLowerCase(Locale.ROOT);
    this.words = words;
    this.key = key;
    this.numbers = numbers;
    this.numberGiven = new boolean[numbers.size()];
  }

  static PromptWords of(String text) {
    List<String> all = new ArrayList<>();
    String key = null;
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      String w = m.group();
      all.add(w);
      if (key == null && Character.isUpperCase(w.codePointAt(0)) && !w.equals("I")
          && !startsSentence(text, m.start())) {
        key = w;
      }
    }
    List<String> longer = all.stream().filter(w -> w.length() >= 3).toList();
    List<String> words = !longer.isEmpty() ? longer : !all.isEmpty() ? all : FALLBACK;
    if (key == null) {
      key = all.isEmpty() ? FALLBACK.getFirst() : all.getLast();
    }
    List<Double> numbers = new ArrayList<>();
    Matcher n = NUMBER.matcher(text);
    while (n.find()) {
      numbers.add(Double.parseDouble(n.group()));
    }
    return new PromptWords(text, words, key, numbers);
  }

  private static boolean startsSentence(String text, int at) {
    int i = at - 1;
    while (i >= 0 && !Character.isLetterOrDigit(text.charAt(i))
        && ".!?".indexOf(text.charAt(i)) < 0) {
      i--;
    }
    return i < 0 || ".!?".indexOf(text.charAt(i)) >= 0;
  }

  /**
   * The prompt's most telling word, given once: the first capitalised word that does not start a
   * sentence (a name, most likely), else the last word.
   */
  String keyOnce() {
    if (keyGiven) {
      return null;
    }
    keyGiven = true;
    return key;
  }

  /** The next {@code n} words of the prompt, going round again when they run out. */
  String phrase(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(words.get(nextWord++ % words.size()));
    }
    return sb.toString();
  }

  /** The first of {@code values} that the prompt mentions as a whole word, or null. */
  JsonNode mentioned(JsonNode values) {
    for (JsonNode v : values) {
      if (v.isTextual() && !v.asText().isBlank()) {
        String needle = v.asText().toLowerCase(Locale.ROOT);
        if (Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(needle) + "(?![\\p{L}\\p{N}])")
            .matcher(lowerText).find()) {
          return v;
        }
      }
    }
    return null;
  }

  /** The first number not given yet that lies in {@code [lo, hi]} (whole if asked), or null. */
  Double number(double lo, double hi, boolean whole) {
    for (int i = 0; i < numbers.size(); i++) {
      double v = numbers.get(i);
      if (!numberGiven[i] && v >= lo && v <= hi && (!whole || v == Math.rint(v))) {
        numberGiven[i] = true;
        return v;
      }
    }
    return null;
  }
}
