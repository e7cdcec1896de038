package dev.bound.index.docs;

import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.lucene.util.UnicodeUtil;

/** Argument checks shared by the records, with messages that name the field. */
final class Checks {

  /** Largest integer every JSON reader represents exactly (I-JSON, RFC 7493). */
  static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9_-]+");

  private Checks() {}

  static String nonBlank(String value, String name, int maxLength) {
    Objects.requireNonNull(value, name + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return maxLength(value, name, maxLength);
  }

  static String maxLength(String value, String name, int maxLength) {
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(
          name + " must be at most " + maxLength + " characters but has " + value.length());
    }
    wellFormed(value, name);
    return value;
  }

  /**
   * Refuses unpaired surrogates: RFC 8785 cannot canonicalize them, and UTF-8 on disk would
   * silently replace them, so the stored text would no longer match its signature.
   */
  static void wellFormed(String value, String name) {
    if (!UnicodeUtil.validUTF16String(value)) {
      throw new IllegalArgumentException(name + " must not contain an unpaired surrogate");
    }
  }

  static long millis(long value, String name) {
    if (value < 0 || value > MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException(
          name + " must be between 0 and " + MAX_SAFE_INTEGER + " but was " + value);
    }
    return value;
  }
}
