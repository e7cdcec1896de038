package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.config.BoundConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API price table: lookup, billing with provider caches, overrides and their checks. */
class ApiPricesTest {
  private static final String HEADER =
      "pattern,input,cached_input,cache_write,output,currency,source,checked\n";
  private static final ApiPrices SHIPPED = ApiPrices.load(new BoundConfig.Prices("", true));

  @Test
  void shipped_everyRowHasASourceAndADate() {
    List<ApiPrices.Price> rows = ApiPrices.shipped();
    assertTrue(rows.size() >= 10, "rows " + rows.size());
    for (ApiPrices.Price p : rows) {
      assertTrue(p.source().startsWith("https://"), p.toString());
      assertTrue(p.checked().matches("\\d{4}-\\d{2}-\\d{2}"), p.toString());
      assertEquals("USD", p.currency());
      assertTrue(p.cachedInput() <= p.input() && p.input() <= p.output(), p.toString());
    }
  }

  @Test
  void find_snapshotsAndPrefixesButNeverASimilarName() {
    assertEquals(0.15, SHIPPED.find("gpt-4o-mini-2024-07-18").orElseThrow().input());
    assertEquals(0.15, SHIPPED.find("openai/gpt-4o-mini").orElseThrow().input());
    assertEquals(2.50, SHIPPED.find("GPT-4o").orElseThrow().input());
    assertEquals(3.00, SHIPPED.find("claude-sonnet-4-5-20250929").orElseThrow().input());
    assertFalse(SHIPPED.find("gpt-4o-2024-05-13").isPresent(), "another price; not in the table");
    assertFalse(SHIPPED.find("llama3.1:8b").isPresent());
    assertFalse(SHIPPED.find(null).isPresent());
  }

  @Test
  void cost_chargesCacheReadsAndWritesAtTheirOwnPrices() {
    // claude-sonnet-4: 3 input, 0.30 cache read, 3.75 cache write, 15 output per million.
    ApiPrices.Cost c = SHIPPED.cost("claude-sonnet-4-20250514",
        new TokenUsage(1_300_000, 1_000_000, 200_000, 100_000));
    assertEquals(0.1 * 3 + 1.0 * 0.30 + 0.2 * 3.75 + 0.1 * 15, c.amount(), 1e-9);
    assertEquals("USD", c.currency());
    assertTrue(c.priced());
    ApiPrices.Cost unknown = SHIPPED.cost("llama3.1:8b", new TokenUsage(10, 0, 0, 10));
    assertFalse(unknown.priced());
    assertEquals(0, unknown.amount());
  }

  @Test
  void priceFile_comesFirst_andOneCurrencyIsRequired(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("prices.csv");
    Files.writeString(f, "# mine\n" + HEADER
        + "llama3\\.1:8b,0.10,0.01,,0.20,USD,https://example.com/our-contract,2026-11-01\n"
        + "gpt-4o,1,0.5,,4,USD,https://example.com/our-discount,2026-11-01\n");
    ApiPrices mine = ApiPrices.load(new BoundConfig.Prices(f.toString(), true));
    assertEquals(0.10, mine.find("llama3.1:8b").orElseThrow().input());
    assertEquals(0.10, mine.find("llama3.1:8b").orElseThrow().cacheWrite(), "empty: input");
    assertEquals(1, mine.find("gpt-4o").orElseThrow().input(), "before the shipped row");
    assertEquals(0.15, mine.find("gpt-4o-mini").orElseThrow().input(), "shipped rows follow");
    ApiPrices only = ApiPrices.load(new BoundConfig.Prices(f.toString(), false));
    assertFalse(only.find("gpt-4o-mini").isPresent());

    Files.writeString(f, HEADER + "x,1,1,,1,EUR,https://example.com,2026-11-01\n");
    IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
        () -> ApiPrices.load(new BoundConfig.Prices(f.toString(), true)));
    assertTrue(mixed.getMessage().contains("price.shipped=false"), mixed.getMessage());
    assertEquals("EUR", ApiPrices.load(new BoundConfig.Prices(f.toString(), false)).currency());
  }

  @Test
  void parse_badRowsNameTheirLine() {
    assertEquals("t line 2: 8 columns expected, found 3", assertThrows(
        IllegalArgumentException.class, () -> ApiPrices.parse(HEADER + "a,1,2\n", "t"))
        .getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ApiPrices.parse(HEADER + "a,-1,0,,1,USD,s,2026-11-01\n", "t")).getMessage()
        .startsWith("t line 2: price for a must be"));
    for (String[] bad : new String[][] {{",1,1,,1,USD,s,2026-11-01", "a model pattern"},
        {"a,1,1,,1,,s,2026-11-01", "three-letter code"},
        {"a,1,1,,1,usd,s,2026-11-01", "three-letter code"},
        {"a,1,1,,1,USD,s,notadate", "checked must be a date"}}) {
      String message = assertThrows(IllegalArgumentException.class,
          () -> ApiPrices.parse(HEADER + bad[0] + "\n", "t")).getMessage();
      assertTrue(message.startsWith("t line 2: ") && message.contains(bad[1]), message);
    }
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ApiPrices.parse("model,price\n", "t")).getMessage().contains("the header must be"));
  }
}
