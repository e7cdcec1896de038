package dev.bound.gateway.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A word-level diff of two texts: the longest common subsequence of their words, reported as runs
 * of kept, removed and added text. Each word keeps the whitespace that follows it, so joining the
 * kept and removed runs gives the old text back and joining the kept and added runs the new one.
 */
public final class WordDiff {
  /** What a run does to the old text. */
  public enum Op {
    SAME, REMOVED, ADDED;

    /** The name used in JSON. */
    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A run of consecutive words with one operation. */
  public record Part(Op op, String text) {
    public Part {
      Objects.requireNonNull(op, "op must not be null");
      Objects.requireNonNull(text, "text must not be null");
    }
  }

  /**
   * Above this many cells the LCS table would cost too much memory; the middle that differs is
   * then shown as removed whole and added whole, which is still a correct diff, only a coarse one.
   */
  static final long MAX_CELLS = 4_000_000;

  private static final Pattern WORD = Pattern.compile("\\s*\\S+\\s*|\\s+");

  private WordDiff() {}

  /** The runs that turn {@code before} into {@code after}. */
  public static List<Part> diff(String before, String after) {
    List<String> a = words(before);
    List<String> b = words(after);
    int prefix = 0;
    while (prefix < a.size() && prefix < b.size() && same(a.get(prefix), b.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
        && same(a.get(a.size() - 1 - suffix), b.get(b.size() - 1 - suffix))) {
      suffix++;
    }
    Runs out = new Runs();
    b.subList(0, prefix).forEach(w -> out.add(Op.SAME, w));
    middle(a.subList(prefix, a.size() - suffix), b.subList(prefix, b.size() - suffix), out);
    b.subList(b.size() - suffix, b.size()).forEach(w -> out.add(Op.SAME, w));
    return out.parts;
  }

  /** The text split into words, each with the whitespace after it (leading space stays first). */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static boolean same(String x, String y) {
    return x.strip().equals(y.strip());
  }

  private static void middle(List<String> a, List<String> b, Runs out) {
    if ((long) a.size() * b.size() > MAX_CELLS) {
      a.forEach(w -> out.add(Op.REMOVED, w));
      b.forEach(w -> out.add(Op.ADDED, w));
      return;
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    int[][] lcs = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--) {
      for (int j = b.size() - 1; j >= 0; j--) {
        lcs[i][j] = same(a.get(i), b.get(j)) ? lcs[i + 1][j + 1] + 1
            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && same(a.get(i), b.get(j))) {
        i++;
        out.add(Op.SAME, b.get(j++));
      } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
        out.add(Op.REMOVED, a.get(i++)); // on a tie the old words go first, as diffs read
      } else {
        out.add(Op.ADDED, b.get(j++));
      }
    }
  }

  /** Parts that merge a word into the last run when the operation is the same. */
  private static final class Runs {
    final List<Part> parts = new ArrayList<>();

    void add(Op op, String word) {
      if (!parts.isEmpty() && parts.getLast().op() == op) {
        parts.set(parts.size() - 1, new Part(op, parts.getLast().text() + word));
      } else {
        parts.add(new Part(op, word));
      }
    }
  }
}
