package dev.bound.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bound.config.BoundConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * API list prices per model, from {@code price.file} and then the shipped table
 * ({@code /bound/prices/api-prices.csv}), so that a hit can say what it kept off the API bill.
 * A model no row matches has no price, and says so; it is never priced as some other model.
 */
public final class ApiPrices {
  private static final String SHIPPED = "/bound/prices/api-prices.csv";
  private static final Pattern PROVIDER_PREFIX = Pattern.compile("^[A-Za-z0-9_.-]+/");

  /**
   * One row: US dollars (or {@code currency}) per million tokens.
   *
   * @param cacheWrite price of tokens written to an Anthropic-style prompt cache
   * @param source where the price was read
   * @param checked the date it was read
   */
  public record Price(String pattern, double input, double cachedInput, double cacheWrite,
      double output, String currency, String source, String checked) {
    public Price {
      if (pattern == null || pattern.isBlank()) {
        throw new IllegalArgumentException("a price needs a model pattern");
      }
      if (currency == null || !currency.matches("[A-Z]{3}")) {
        throw new IllegalArgumentException("price for " + pattern + ": the currency must be a"
            + " three-letter code such as USD, not '" + currency + "'");
      }
      if (checked != null && !checked.isEmpty()) {
        try {
          java.time.LocalDate.parse(checked);
        } catch (java.time.format.DateTimeParseException e) {
          throw new IllegalArgumentException("price for " + pattern + ": checked must be a date"
              + " such as 2026-11-30, not '" + checked + "'");
        }
      }
      for (double v : new double[] {input, cachedInput, cacheWrite, output}) {
        if (!(v >= 0 && v < 1e6)) {
          throw new IllegalArgumentException("price for " + pattern + " must be from 0 to "
              + "1000000 per million tokens, not " + v);
        }
      }
    }

    /** What the upstream would have charged for an answer with this usage. */
    double bill(TokenUsage u) {
      return (u.prompt() - u.cacheRead() - u.cacheWrite()) * input / 1e6
          + u.cacheRead() * cachedInput / 1e6 + u.cacheWrite() * cacheWrite / 1e6
          + u.completion() * output / 1e6;
    }
  }

  /**
   * What one request kept off the API bill.
   *
   * @param amount in {@code currency}; 0 on a miss, and when {@code price} is null
   * @param price the row it was priced by, or null when the model has none (or nothing was saved)
   */
  public record Cost(double amount, String currency, Price price) {
    public static Cost none(String currency) {
      return new Cost(0, currency, null);
    }

    public boolean priced() {
      return price != null;
    }
  }

  private record Row(Pattern pattern, Price price) {}

  private final List<Row> rows;
  /**
   * The price each model name found, since finding tries every row's pattern and every hit is
   * priced; bounded, as clients choose the names.
   */
  private final Cache<String, Optional<Price>> found = Caffeine.newBuilder()
      .maximumSize(1_000).build();
  private final String currency;

  ApiPrices(List<Price> prices) {
    List<Row> r = new ArrayList<>();
    Set<String> currencies = new LinkedHashSet<>();
    for (Price p : prices) {
      r.add(new Row(compile(p.pattern()), p));
      currencies.add(p.currency());
    }
    if (currencies.size() > 1) {
      throw new IllegalArgumentException("API prices are in " + currencies + "; one currency is "
          + "needed to add them up: give every row of price.file the same currency, or set "
          + "price.shipped=false to use only price.file");
    }
    this.rows = List.copyOf(r);
    this.currency = currencies.isEmpty() ? "USD" : currencies.iterator().next();
  }

  /** The prices configured: {@code price.file}'s rows first, then the shipped ones if wanted. */
  public static ApiPrices load(BoundConfig.Prices cfg) {
    List<Price> all = new ArrayList<>();
    if (!cfg.file().isEmpty()) {
      Path file = Path.of(cfg.file());
      try {
        all.addAll(parse(Files.readString(file, StandardCharsets.UTF_8), "price.file " + file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read price.file " + file, e);
      }
    }
    if (cfg.shipped()) {
      all.addAll(shipped());
    }
    return new ApiPrices(all);
  }

  /** The table that ships with Bound. */
  static List<Price> shipped() {
    try (InputStream in = ApiPrices.class.getResourceAsStream(SHIPPED)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + SHIPPED);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), SHIPPED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Rows of a price CSV: a header naming the columns (pattern, input, cached_input, cache_write,
   * output, currency, source, checked), then one row per model; {@code #} starts a comment line.
   */
  static List<Price> parse(String csv, String where) {
    List<Price> out = new ArrayList<>();
    boolean header = true;
    int n = 0;
    for (String line : csv.split("\\R")) {
      n++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split(",", -1);
      if (header) {
        if (!l.replace(" ", "").equals("pattern,input,cached_input,cache_write,output,currency,"
            + "source,checked")) {
          throw new IllegalArgumentException(where + " line " + n + ": the header must be "
              + "pattern,input,cached_input,cache_write,output,currency,source,checked");
        }
        header = false;
        continue;
      }
      if (f.length != 8) {
        throw new IllegalArgumentException(where + " line " + n + ": 8 columns expected, "
            + "found " + f.length);
      }
      try {
        double input = Double.parseDouble(f[1].strip());
        String write = f[3].strip();
        out.add(new Price(f[0].strip(), input, Double.parseDouble(f[2].strip()),
            write.isEmpty() ? input : Double.parseDouble(write), Double.parseDouble(f[4].strip()),
            f[5].strip(), f[6].strip(), f[7].strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + " line " + n + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** The currency every price is in. */
  public String currency() {
    return currency;
  }

  /** The price of a model, if some row names it. */
  public Optional<Price> find(String model) {
    if (model == null) {
      return Optional.empty();
    }
    return found.get(model, this::search);
  }

  private Optional<Price> search(String model) {
    String bare = PROVIDER_PREFIX.matcher(model).replaceFirst("");
    for (Row r : rows) {
      if (r.pattern().matcher(model).matches() || r.pattern().matcher(bare).matches()) {
        return Optional.of(r.price());
      }
    }
    return Optional.empty();
  }

  /** What a hit with this usage kept off the bill of {@code model}. */
  public Cost cost(String model, TokenUsage usage) {
    Optional<Price> p = find(model);
    return p.map(price -> new Cost(price.bill(usage), currency, price))
        .orElseGet(() -> Cost.none(currency));
  }

  /** The distinct sources of the rows, with the date each was read. */
  public List<String> sources() {
    Set<String> s = new LinkedHashSet<>();
    rows.forEach(r -> s.add(r.price().source() + " (" + r.price().checked() + ")"));
    return List.copyOf(s);
  }

  private static Pattern compile(String pattern) {
    try {
      return Pattern.compile(pattern, Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("price pattern '" + pattern + "' is not a regular "
          + "expression: " + e.getDescription(), e);
    }
  }
}
