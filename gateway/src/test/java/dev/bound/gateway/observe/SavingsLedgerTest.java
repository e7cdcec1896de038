package dev.bound.gateway.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.EnergyAccounting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavingsLedgerTest {
  @TempDir Path dir;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneOffset.UTC);
  private static final long T = Instant.parse("2026-11-23T10:15:30Z").toEpochMilli();

  private static SavingsLedger.Entry hit(long at, String model, double wh) {
    return new SavingsLedger.Entry(at, model, "t1", "HIT-EXACT", 100, 50,
        new EnergyAccounting.Account("p", true, wh, wh / 2, wh * 2, wh * 0.4, wh * 0.2, wh * 0.8,
            wh * 1e-4, wh * 5e-5, wh * 2e-4, 1e-6),
        model.equals("b") ? 0 : wh / 100, !model.equals("b"), false, Double.NaN);
  }

  private static SavingsLedger.Entry miss(long at) {
    return new SavingsLedger.Entry(at, "m", "t2", "MISS", 0, 0,
        new EnergyAccounting.Account("p", false, -1e-5, -1e-5, -1e-5, 0, 0, 0, 0, 0, 0, 1e-5),
        0, false, false, Double.NaN);
  }

  private static SavingsLedger.Entry variant(long at, double wh) {
    return new SavingsLedger.Entry(at, "m", "t1", "HIT-VARIANT", 10, 20,
        new EnergyAccounting.Account("p", true, wh, wh, wh, 0, 0, 0, 0, 0, 0, 0), 0, false, true,
        Double.NaN);
  }

  private static SavingsLedger.Entry filling(long at) {
    return new SavingsLedger.Entry(at, "m", "t1", "MISS", 0, 0,
        new EnergyAccounting.Account("p", true, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0, false, true,
        Double.NaN);
  }

  @Test
  void temperatureMix_andSavingsByTier_surviveARestart() {
    SavingsLedger l = SavingsLedger.open(dir, clock);
    l.record(hit(T, "a", 0.5));
    l.record(filling(T));
    l.record(filling(T));
    l.record(variant(T, 0.25));
    l.record(variant(T, 0.25));
    l.close();
    SavingsLedger again = SavingsLedger.open(dir, clock);
    JsonNode t = totals(again, SavingsLedger.Granularity.HOUR);
    assertEquals(4, t.at("/temperature_mix/novelty_requests").asLong(), t.toString());
    assertEquals(2, t.at("/temperature_mix/served_from_pools").asLong());
    assertEquals(0.5, t.at("/temperature_mix/share_served_from_pools").asDouble(), 1e-9);
    assertEquals(0.5, t.at("/wh_by_tier/exact").asDouble(), 1e-9);
    assertEquals(0.5, t.at("/wh_by_tier/variant").asDouble(), 1e-9);
    again.close();
  }

  /** A variant hit of {@code wh} served when the grid was at {@code intensity} gCO2e/kWh. */
  private static SavingsLedger.Entry servedAt(long at, double wh, double intensity) {
    return new SavingsLedger.Entry(at, "m", "t1", "HIT-VARIANT", 10, 20,
        new EnergyAccounting.Account("p", true, wh, wh, wh, 0, 0, 0, 0, 0, 0, 0), 0, false, true,
        intensity);
  }

  /** A dream of {@code wh} made at {@code own} gCO2e/kWh for a pool asked at {@code demand}. */
  private static SavingsLedger.Dream dream(long at, double wh, double own, double demand) {
    return new SavingsLedger.Dream(at, "m", "t1", wh, wh / 1000 * own, wh / 1000 * demand, true);
  }

  @Test
  void aLedgerDirectoryRemovedWhileRunning_isMadeAgain_andKeepsTheSavings() throws Exception {
    SavingsLedger l = SavingsLedger.open(dir, clock);
    l.record(hit(T, "a", 0.5));
    l.flush();
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
      for (Path f : files.toList()) {
        java.nio.file.Files.delete(f);
      }
    }
    java.nio.file.Files.delete(dir);
    l.record(hit(T, "a", 0.25));
    l.close();
    SavingsLedger again = SavingsLedger.open(dir, clock);
    JsonNode t = totals(again, SavingsLedger.Granularity.HOUR);
    // The snapshot at close holds both: the aggregates in memory were whole all along.
    assertEquals(2, t.get("requests").asLong(), t.toString());
    assertEquals(0.75, t.at("/wh_by_tier/exact").asDouble(), 1e-9, t.toString());
    again.close();
  }

  @Test
  void dreamAccount_survivesARestart_andPricesTheShiftAtServingHours() {
    SavingsLedger l = SavingsLedger.open(dir, clock);
    l.dreamed(dream(T, 2.0, 50, 50));
    l.dreamed(dream(T, 2.0, 50, 50));
    l.record(servedAt(T + 3_600_000, 1.0, 400));
    l.record(servedAt(T + 3_600_000, 1.0, 200));
    l.close();
    SavingsLedger again = SavingsLedger.open(dir, clock);
    JsonNode c = totals(again, SavingsLedger.Granularity.DAY).get("carbon_shifted");
    assertEquals(2, c.get("pregenerated").asLong(), c.toString());
    assertEquals(4.0, c.get("pregeneration_wh").asDouble(), 1e-9);
    assertEquals(0.2, c.get("pregeneration_gco2e").asDouble(), 1e-9, "4 Wh at 50 g/kWh");
    assertEquals(2, c.get("variant_hits").asLong());
    assertEquals(0.6, c.get("variant_hits_gco2e_at_serving_hours").asDouble(), 1e-9);
    assertEquals(300, c.get("serving_intensity_gco2e_per_kwh").asDouble(), 1e-9);
    assertEquals(1.2, c.get("pregeneration_gco2e_at_serving_hours").asDouble(), 1e-9);
    assertEquals("serving_hours", c.get("shift_priced_at").asText());
    assertEquals(4.0, c.get("wh_shifted").asDouble(), 1e-9);
    assertEquals(1.0, c.get("gco2e_shifted").asDouble(), 1e-9, "1.2 g at 300 less 0.2 at 50");
    JsonNode hour = again.query(SavingsLedger.Granularity.HOUR, 0, Long.MAX_VALUE, null, null)
        .get("series");
    assertEquals(2, hour.get(0).at("/carbon_shifted/pregenerated").asLong(),
        "the dreams are in the hour they ran");
    assertEquals(0, hour.get(0).at("/carbon_shifted/variant_hits").asLong());
    assertEquals(0, hour.get(0).get("requests").asLong(), "a dream is not a request");
    again.close();
  }

  @Test
  void dreamAccount_beforeAnyVariantHit_isPricedAtDemandHours() {
    SavingsLedger l = SavingsLedger.open(dir, clock);
    l.dreamed(dream(T, 1.0, 100, 500));
    JsonNode c = totals(l, SavingsLedger.Granularity.DAY).get("carbon_shifted");
    assertEquals("demand_hours", c.get("shift_priced_at").asText());
    assertTrue(c.get("serving_intensity_gco2e_per_kwh").isNull(), c.toString());
    assertEquals(0.4, c.get("gco2e_shifted").asDouble(), 1e-9, "0.5 g at 500 less 0.1 at 100");
    l.close();
  }

  @Test
  void dreamAccount_inOneSlotOnly_shiftsNothing() {
    SavingsLedger l = SavingsLedger.open(dir, clock);
    for (int i = 0; i < 7; i++) {
      l.dreamed(dream(T, 0.0123 * (i + 1), 90, 90));
      l.record(servedAt(T, 0.0071 * (i + 1), 90));
    }
    JsonNode c = totals(l, SavingsLedger.Granularity.DAY).get("carbon_shifted");
    assertEquals(0.0, c.get("gco2e_shifted").asDouble(), c.toString());
    l.close();
  }

  /**
   * A dream whose answer was thrown away shifted nothing but still emitted, and a variant hit
   * whose lookup cost more than it saved does not drag the mean serving intensity below zero.
   */
  @Test
  void dreamAccount_discardedDreamsShiftNothing_andServingIntensityIsWeighedByWhatHitsAvoided() {
    SavingsLedger l = SavingsLedger.open(dir, clock);
    l.dreamed(dream(T, 2.0, 50, 50));
    l.dreamed(new SavingsLedger.Dream(T, "m", "t1", 3.0, 3.0 / 1000 * 50, 3.0 / 1000 * 50,
        false));
    l.record(servedAt(T + 3_600_000, 1.0, 400));
    // Net -0.001 Wh: it avoided 0.001 and its lookup cost 0.002.
    l.record(new SavingsLedger.Entry(T + 3_600_000, "m", "t1", "HIT-VARIANT", 1, 1,
        new EnergyAccounting.Account("p", true, -0.001, -0.001, -0.001, 0, 0, 0, 0, 0, 0, 0.002),
        0, false, true, 800));
    JsonNode c = totals(l, SavingsLedger.Granularity.DAY).get("carbon_shifted");
    assertEquals(5.0, c.get("pregeneration_wh").asDouble(), 1e-9, c.toString());
    assertEquals(3.0, c.get("pregeneration_discarded_wh").asDouble(), 1e-9);
    assertEquals(2.0, c.get("wh_shifted").asDouble(), 1e-9);
    // (1.0 Wh at 400 + 0.001 at 800) / 1.001 Wh
    assertEquals(400.4, c.get("serving_intensity_gco2e_per_kwh").asDouble(), 0.01);
    // 2 Wh at ~400.4 g/kWh, less 5 Wh emitted at 50.
    assertEquals(2.0 / 1000 * 400.3996 - 0.25, c.get("gco2e_shifted").asDouble(), 1e-4);
    l.close();
    SavingsLedger again = SavingsLedger.open(dir, clock);
    assertEquals(c, totals(again, SavingsLedger.Granularity.DAY).get("carbon_shifted"));
    again.close();
  }

  @Test
  void dreamed_isOnDiskWhenItReturns() {
    SavingsLedger l = SavingsLedger.open(dir, clock);
    l.dreamed(dream(T, 1.0, 100, 500));
    // No close and no flush: the process "dies" right after the dreamer was told it is charged.
    SavingsLedger after = SavingsLedger.open(dir, clock);
    assertEquals(1, totals(after, SavingsLedger.Granularity.DAY)
        .at("/carbon_shifted/pregenerated_stored").asLong());
    after.close();
  }

  private JsonNode totals(SavingsLedger l, SavingsLedger.Granularity g) {
    return l.query(g, 0, Long.MAX_VALUE, null, null).get("totals");
  }

  @Test
  void query_sumsPerGranularityModelAndTenant() {
    SavingsLedger l = SavingsLedger.open(dir, clock);
    l.record(hit(T, "a", 0.5));
    l.record(hit(T + 60_000, "b", 0.25));
    l.record(miss(T));
    JsonNode all = totals(l, SavingsLedger.Granularity.MINUTE);
    assertEquals(3, all.get("requests").asLong());
    assertEquals(2, all.at("/hits/exact").asLong());
    assertEquals(1, all.get("misses").asLong());
    assertEquals(200, all.get("prompt_tokens_avoided").asLong());
    assertEquals(0.74999, all.get("wh").asDouble(), 1e-9);
    assertEquals(0.005, all.get("api_cost_avoided").asDouble(), 1e-12, "only model a is priced");
    assertEquals(1, all.get("api_unpriced_hits").asLong(), "a miss is not an unpriced hit");
    assertEquals(2, l.query(SavingsLedger.Granularity.MINUTE, 0, Long.MAX_VALUE, null, null)
        .get("series").size());
    assertEquals(1, l.query(SavingsLedger.Granularity.HOUR, 0, Long.MAX_VALUE, null, null)
        .get("series").size());
    assertEquals(0.5, l.query(SavingsLedger.Granularity.DAY, 0, Long.MAX_VALUE, "a", null)
        .at("/totals/wh").asDouble(), 1e-9);
    assertEquals(1, l.query(SavingsLedger.Granularity.DAY, 0, Long.MAX_VALUE, null, "t2")
        .at("/totals/requests").asLong());
    l.close();
  }

  @Test
  void close_thenReopen_keepsEverything() {
    SavingsLedger l = SavingsLedger.open(dir, clock);
    for (int i = 0; i < 10; i++) {
      l.record(hit(T + i, "a", 0.1));
    }
    l.close();
    SavingsLedger again = SavingsLedger.open(dir, clock);
    assertEquals(10, totals(again, SavingsLedger.Granularity.HOUR).get("requests").asLong());
    assertEquals(1.0, totals(again, SavingsLedger.Granularity.DAY).get("wh").asDouble(), 1e-9);
    again.close();
  }

  @Test
  void crashAfterFlush_losesNothingFlushed() throws Exception {
    SavingsLedger l = SavingsLedger.open(dir, clock);
    for (int i = 0; i < 5; i++) {
      l.record(hit(T, "a", 0.1));
    }
    l.snapshot();
    for (int i = 0; i < 7; i++) {
      l.record(hit(T, "a", 0.1));
    }
    l.flush();
    l.record(hit(T, "a", 0.1)); // never flushed: lost in the crash
    // No close: the process "dies" here; what is on disk is all the next start sees.
    SavingsLedger after = SavingsLedger.open(dir, clock);
    JsonNode recovered = totals(after, SavingsLedger.Granularity.MINUTE);
    assertEquals(12, recovered.get("requests").asLong());
    assertEquals(0.012, recovered.get("api_cost_avoided").asDouble(), 1e-12,
        "the API bill comes back from the snapshot and the journal alike");
    after.close();
    SavingsLedger third = SavingsLedger.open(dir, clock);
    assertEquals(12, totals(third, SavingsLedger.Granularity.MINUTE).get("requests").asLong());
    third.close();
  }

  @Test
  void tornLastLine_isSkipped() throws Exception {
    SavingsLedger l = SavingsLedger.open(dir, clock);
    l.record(hit(T, "a", 0.1));
    l.flush();
    try (var files = Files.list(dir)) {
      Path journal = files.filter(p -> p.getFileName().toString().startsWith("journal-"))
          .findFirst().orElseThrow();
      Files.writeString(journal, "{\"t\":1,\"m\":\"a\",\"n\"", java.nio.file.StandardOpenOption.APPEND);
    }
    SavingsLedger after = SavingsLedger.open(dir, clock);
    assertEquals(1, totals(after, SavingsLedger.Granularity.DAY).get("requests").asLong());
    after.close();
  }

  @Test
  void requestLine_readsBackAsTheEntryItWasWrittenFrom() throws Exception {
    // Quotes, a line feed, an emoji and a lone surrogate in the model's name.
    SavingsLedger.Entry quoted = new SavingsLedger.Entry(T,
        "model \"q\" \u00e9\n\ud83d\ude00\ud800", "key:ab/ns:x", "HIT-SEMANTIC", 7, 9,
        new EnergyAccounting.Account("gpt-4o-class", false, 0.00123, 1e-9, 12345.678, -0.5, 0,
            Double.MIN_VALUE, 1e21, 0.1, 0.2, 3e-7),
        0.000042, true, true, 412.5);
    for (SavingsLedger.Entry e : java.util.List.of(hit(T, "a", 0.3), hit(T, "b", 2), miss(T),
        variant(T, 0.01), filling(T), quoted)) {
      String line = SavingsLedger.requestLine(e);
      // Read back from the bytes the journal holds, as a restart reads it.
      byte[] onDisk = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(e, SavingsLedger.entryFrom(dev.bound.gateway.Json.MAPPER.readTree(onDisk)),
          line);
      assertTrue(!line.contains("\n"), "one line: " + line);
    }
  }
}
