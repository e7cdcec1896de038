package dev.bound.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text filter of {@link AnswerBackend#browse}, shared by both stores: offered entries newest
 * first, it keeps those whose prompt contains the text (case-insensitive) up to the limit.
 */
final class BrowseFilter {
  private final String needle;
  private final int limit;
  private final List<Entry> kept = new ArrayList<>();

  /** {@code text} null keeps every entry. */
  BrowseFilter(String text, int limit) {
    this.needle = text == null ? null : text.toLowerCase(Locale.ROOT);
    this.limit = limit;
  }

  /** Offers the next entry; false once the limit is reached and no more are wanted. */
  boolean offer(Entry e) {
    if (needle == null || e.prompt().toLowerCase(Locale.ROOT).contains(needle)) {
      kept.add(e);
    }
    return kept.size() < limit;
  }

  List<Entry> kept() {
    return kept;
  }
}
