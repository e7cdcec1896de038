package dev.bound.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/** Strings and numbers for {@link SchemaFiller}: formats, lengths and numeric bounds. */
final class Scalars {
  /** How wide a range is made up when the schema bounds a number on one side or neither. */
  private static final double SPAN = 100;
  /** Whole numbers are drawn from at most this wide a range, so the draw cannot overflow. */
  private static final double MAX_DRAW = 1_000_000;

  private Scalars() {}

  /** A sensible value for a string {@code format}, or null for a format this does not know. */
  static String formatted(String format, PromptWords words, SplittableRandom rnd) {
    return switch (format) {
      case "date" -> date(rnd);
      case "date-time" -> date(rnd) + "T" + time(rnd) + "Z";
      case "time" -> time(rnd);
      case "email" -> ascii(words.phrase(1)) + "@example.com";
      case "uri", "url", "iri", "uri-reference" -> "https://example.com/" + ascii(words.phrase(1));
      case "hostname" -> ascii(words.phrase(1)) + ".example.com";
      case "uuid" -> UUID.nameUUIDFromBytes(ByteBuffer.allocate(8).putLong(rnd.nextLong())
          .array()).toString();
      case "ipv4" -> "192.0.2." + (1 + rnd.nextInt(254));
      case "ipv6" -> "2001:db8::" + Integer.toHexString(1 + rnd.nextInt(0xfffe));
      case "duration" -> "PT" + (1 + rnd.nextInt(59)) + "M";
      default -> null;
    };
  }

  private static String date(SplittableRandom rnd) {
    return LocalDate.of(2025, 1, 1).plusDays(rnd.nextInt(365)).toString();
  }

  private static String time(SplittableRandom rnd) {
    return String.format(Locale.ROOT, "%02d:%02d:00", 8 + rnd.nextInt(10), 5 * rnd.nextInt(12));
  }

  private static String ascii(String word) {
    String s = word.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return s.isEmpty() ? "user" : s;
  }

  /** The text lengthened with more words or cut, to fit {@code minLength} and {@code maxLength}. */
  static String fit(JsonNode s, String text, PromptWords words) {
    int min = s.path("minLength").asInt(0);
    int max = s.path("maxLength").isNumber() ? s.get("maxLength").asInt() : Integer.MAX_VALUE;
    StringBuilder sb = new StringBuilder(text);
    while (sb.codePointCount(0, sb.length()) < min) {
      sb.append(' ').append(words.phrase(1));
    }
    String out = sb.toString();
    if (out.codePointCount(0, out.length()) > max) {
      out = out.substring(0, out.offsetByCodePoints(0, Math.max(0, max)));
    }
    return out;
  }

  /** The inclusive bounds a number must keep to. */
  record Range(double lo, double hi) {}

  /** The schema's bounds, made finite: a side left open gets a span of {@value #SPAN}. */
  static Range range(JsonNode s, boolean whole) {
    double lo = s.path("minimum").isNumber() ? s.get("minimum").asDouble()
        : Double.NEGATIVE_INFINITY;
    double hi = s.path("maximum").isNumber() ? s.get("maximum").asDouble()
        : Double.POSITIVE_INFINITY;
    if (s.path("exclusiveMinimum").isNumber()) {
      double x = s.get("exclusiveMinimum").asDouble();
      lo = Math.max(lo, whole ? Math.floor(x) + 1 : Math.nextUp(x));
    }
    if (s.path("exclusiveMaximum").isNumber()) {
      double x = s.get("exclusiveMaximum").asDouble();
      hi = Math.min(hi, whole ? Math.ceil(x) - 1 : Math.nextDown(x));
    }
    if (whole) {
      lo = Math.ceil(lo);
      hi = Math.floor(hi);
    }
    if (Double.isInfinite(lo) && Double.isInfinite(hi)) {
      lo = whole ? 1 : 0;
      hi = SPAN;
    } else if (Double.isInfinite(lo)) {
      lo = hi - SPAN;
    } else if (Double.isInfinite(hi)) {
      hi = lo + SPAN;
    }
    if (hi < lo) {
      throw new BadRequest("the schema's number bounds leave no value: " + s);
    }
    return new Range(lo, whole ? Math.min(hi, lo + MAX_DRAW) : hi);
  }

  /** A whole number drawn from the range. */
  static long draw(Range r, SplittableRandom rnd) {
    return (long) r.lo() + rnd.nextLong((long) (r.hi() - r.lo()) + 1);
  }

  /** A number well inside the range, rounded to two decimals where that keeps it inside. */
  static double inside(Range r, SplittableRandom rnd) {
    double v = r.lo() + (r.hi() - r.lo()) * (0.1 + 0.8 * rnd.nextDouble());
    double rounded = Math.round(v * 100) / 100.0;
    return rounded >= r.lo() && rounded <= r.hi() ? rounded : v;
  }

  /** The value moved to a multiple of the schema's {@code multipleOf}, if it has one. */
  static double multipleOf(JsonNode s, double v, Range r) {
    double m = s.path("multipleOf").asDouble(0);
    if (m <= 0) {
      return v;
    }
    double k = Math.round(v / m) * m;
    if (k < r.lo()) {
      k += m;
    }
    if (k > r.hi()) {
      k -= m;
    }
    return k;
  }
}
