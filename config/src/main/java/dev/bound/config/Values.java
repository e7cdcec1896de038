package dev.bound.config;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the kinds of values that keys hold; each throws on a value outside its range. */
final class Values {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)(B|KiB|MiB|GiB)?");

  private Values() {}

  static Function<String, Integer> integer(int min, int max) {
    return s -> {
      int v = Integer.parseInt(s);
      if (v < min || v > max) {
        throw new IllegalArgumentException("out of range");
      }
      return v;
    };
  }

  static Function<String, Double> decimal(double min, double max) {
    return s -> {
      double v = Double.parseDouble(s);
      if (!(v >= min && v <= max)) {
        throw new IllegalArgumentException("out of range");
      }
      return v;
    };
  }

  static Function<String, Boolean> bool() {
    return s -> switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("not a boolean");
    };
  }

  /**
   * {@code none}, or two numbers {@code LOW-HIGH} with 0 &le; LOW &le; HIGH &le; 1, given back
   * as written; {@link BoundConfig#band} reads them.
   */
  static Function<String, String> band() {
    return s -> {
      if (!s.equals("none")) {
        BoundConfig.band(s);
      }
      return s;
    };
  }

  /** A token: empty (off) or at least 16 characters, so that it cannot be guessed quickly. */
  static Function<String, String> secret() {
    return s -> {
      if (!s.isEmpty() && s.length() < 16) {
        throw new IllegalArgumentException("too short");
      }
      return s;
    };
  }

  /** Empty, or 24 comma-separated numbers from 0 to 5000 (one per hour of the day). */
  static Function<String, String> hourly() {
    return s -> {
      if (s.isEmpty()) {
        return s;
      }
      String[] parts = s.split(",");
      if (parts.length != 24) {
        throw new IllegalArgumentException(parts.length + " numbers, not 24");
      }
      for (String p : parts) {
        decimal(0, 5000).apply(p.strip());
      }
      return s;
    };
  }

  static Function<String, String> text() {
    return s -> s;
  }

  /**
   * A host name or address to listen on: not empty (an empty host would listen everywhere and
   * leave the Host check, which guards against DNS rebinding, with nothing to compare).
   */
  static Function<String, String> hostName() {
    return s -> {
      if (s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("not a host name or address");
      }
      return s;
    };
  }

  /** A currency code such as USD or EUR: three to five letters, as price tables write them. */
  static Function<String, String> currencyCode() {
    return s -> {
      if (!s.matches("[A-Za-z]{3,5}")) {
        throw new IllegalArgumentException("not a currency code such as USD or EUR");
      }
      return s;
    };
  }

  /** {@code a=b,c=d}: checked here, split by {@link #pairMap}. */
  static Function<String, String> pairs() {
    return s -> {
      pairMap(s);
      return s;
    };
  }

  /** The pairs of {@code a=b,c=d} in order; empty for an empty text. */
  static Map<String, String> pairMap(String s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s.isBlank()) {
      return out;
    }
    for (String pair : s.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1 || pair.indexOf('=', eq + 1) >= 0) {
        throw new IllegalArgumentException("'" + pair.strip() + "' is not name=value");
      }
      String k = pair.substring(0, eq).strip();
      String v = pair.substring(eq + 1).strip();
      if (k.isEmpty() || v.isEmpty() || out.put(k, v) != null) {
        throw new IllegalArgumentException("'" + pair.strip() + "' is empty or given twice");
      }
    }
    return out;
  }

  static Function<String, String> oneOf(Set<String> allowed) {
    return s -> {
      if (!allowed.contains(s)) {
        throw new IllegalArgumentException("unknown");
      }
      return s;
    };
  }

  static Function<String, Duration> duration(Duration min, Duration max) {
    return s -> {
      Matcher m = DURATION.matcher(s);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a duration");
      }
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException("out of range");
      }
      return d;
    };
  }

  static Function<String, Long> size(long min, long max) {
    return s -> {
      Matcher m = SIZE.matcher(s);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a size");
      }
      long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
        case "KiB" -> 1L << 10;
        case "MiB" -> 1L << 20;
        case "GiB" -> 1L << 30;
        default -> 1;
      };
      long v = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
      if (v < min || v > max) {
        throw new IllegalArgumentException("out of range");
      }
      return v;
    };
  }

  /** An http(s) URL, or empty for "not set". */
  static Function<String, URI> httpUrlOrEmpty() {
    return s -> {
      if (s.isEmpty()) {
        return null;
      }
      URI u = URI.create(s);
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getHost() == null) {
        throw new IllegalArgumentException("not an http or https URL");
      }
      if (u.getPort() == 0 || u.getPort() > 65535) {
        throw new IllegalArgumentException("its port " + u.getPort() + " is not one from 1 to "
            + "65535");
      }
      return u;
    };
  }
}
