package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hourly carbon intensity from the config or from a grid-intensity CSV export. */
class CarbonProfileTest {
  /** Two days of an Electricity Maps style export for two zones; DE is cleanest at 11-14 UTC. */
  private static List<String> electricityMaps() {
    List<String> lines = new ArrayList<>(List.of("Datetime (UTC),Country,Zone Name,Zone Id,"
        + "Carbon Intensity gCO\u2082eq/kWh (direct),Carbon Intensity gCO\u2082eq/kWh (LCA),"
        + "Low Carbon Percentage,Data Source"));
    for (int day = 1; day <= 2; day++) {
      for (int h = 0; h < 24; h++) {
        double lca = h >= 11 && h <= 14 ? 100 + day : 400 + h;
        lines.add(String.format("2024-01-0%d %02d:00:00,Germany,Germany,DE,%s,%s,50,\"a, b\"",
            day, h, lca - 20, lca));
        lines.add(String.format("2024-01-0%d %02d:00:00,France,France,FR,30,40,90,x", day, h));
      }
    }
    return lines;
  }

  @Test
  void csv_averagesDaysByHour_andReadsTheLcaColumnOfTheChosenZone() {
    double[] h = CarbonProfile.parse(electricityMaps(), "DE");
    assertEquals(101.5, h[12], 1e-9);
    assertEquals(400, h[0], 1e-9);
    CarbonProfile p = new CarbonProfile(h, "test");
    assertEquals(Set.of(11, 12, 13, 14), p.cleanest(4));
    assertEquals(101.5, p.at(Instant.parse("2024-06-01T13:59:59Z")), 1e-9);
  }

  @Test
  void csv_withSeveralZones_needsAZone() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CarbonProfile.parse(electricityMaps(), ""));
    assertEquals("it holds several zones [DE, FR]; choose one with cache.variants.dream.zone",
        e.getMessage());
  }

  @Test
  void csv_simpleZoneHourIntensity_andIsoTimesWithOffsets() {
    List<String> lines = new ArrayList<>(List.of("zone,hour,gco2e_per_kwh"));
    for (int h = 0; h < 24; h++) {
      lines.add("X," + h + "," + (h == 3 ? 10 : 300));
    }
    assertEquals(Set.of(3), new CarbonProfile(CarbonProfile.parse(lines, ""), "t").cleanest(1));

    List<String> watt = new ArrayList<>(List.of("point_time,region,carbon_intensity"));
    for (int h = 0; h < 24; h++) {
      // 05:00+02:00 is 03:00 UTC
      watt.add(String.format("2024-01-01T%02d:00:00+02:00,R,%d", h, (h + 22) % 24 == 3 ? 5 : 90));
    }
    assertEquals(Set.of(3), new CarbonProfile(CarbonProfile.parse(watt, "R"), "t").cleanest(1));
  }

  @Test
  void csv_missingHour_isRefusedWithTheHour() {
    List<String> lines = new ArrayList<>(List.of("zone,hour,gco2e_per_kwh"));
    for (int h = 0; h < 23; h++) {
      lines.add("X," + h + ",1");
    }
    assertEquals("no row for hour 23 UTC", assertThrows(IllegalArgumentException.class,
        () -> CarbonProfile.parse(lines, "")).getMessage());
  }

  @Test
  void csv_intensityPastBelief_isRefusedWithItsLine() {
    for (String bad : List.of("1e9", "5000.5", "-1", "NaN", "Infinity")) {
      List<String> lines = new ArrayList<>(List.of("zone,hour,gco2e_per_kwh"));
      for (int h = 0; h < 24; h++) {
        lines.add("X," + h + "," + (h == 5 ? bad : "300"));
      }
      assertEquals("line 7: '" + bad + "' is not an intensity in gCO2e/kWh from 0 to 5000",
          assertThrows(IllegalArgumentException.class, () -> CarbonProfile.parse(lines, ""))
              .getMessage());
    }
  }

  @Test
  void csv_withFiveMinuteRows_hasFiveMinuteSlots() {
    // A WattTime-style signal, one row every 5 minutes over two days, cleanest at 13:35 UTC.
    List<String> lines = new ArrayList<>(List.of("point_time,region,gco2e_per_kwh"));
    for (int day = 1; day <= 2; day++) {
      for (int m = 0; m < 1440; m += 5) {
        lines.add(String.format("2024-01-0%dT%02d:%02d:00Z,R,%d", day, m / 60, m % 60,
            m == 13 * 60 + 35 ? 20 + day : 300));
      }
    }
    CarbonProfile p = new CarbonProfile(CarbonProfile.parse(lines, ""), "t");
    assertEquals(5, p.slotMinutes());
    assertEquals(288, p.slots().length);
    int clean = (13 * 60 + 35) / 5;
    assertEquals(Set.of(clean), p.cleanest(p.slotsIn(1.0 / 12)));
    assertEquals("13:35", p.start(clean));
    assertEquals(21.5, p.at(Instant.parse("2026-05-05T13:39:59Z")), 1e-9);
    assertEquals(300, p.at(Instant.parse("2026-05-05T13:40:00Z")), 1e-9);
    assertEquals(12, p.slotsIn(1), "an hour of 5-minute slots");
  }

  @Test
  void csv_timesOfDay_giveQuarterHourSlots_andAGapIsNamed() {
    List<String> lines = new ArrayList<>(List.of("time,intensity"));
    for (int m = 0; m < 1440; m += 15) {
      if (m != 6 * 60 + 45) {
        lines.add(String.format("%02d:%02d,%d", m / 60, m % 60, 100));
      }
    }
    assertEquals("no row for 06:45 UTC", assertThrows(IllegalArgumentException.class,
        () -> CarbonProfile.parse(lines, "")).getMessage());
    lines.add("06:45,7");
    CarbonProfile p = new CarbonProfile(CarbonProfile.parse(lines, ""), "t");
    assertEquals(15, p.slotMinutes());
    assertEquals(Set.of(27), p.cleanest(p.slotsIn(0.05)), "at least one slot");
  }

  @Test
  void csv_minuteSteps_areRefused() {
    List<String> lines = List.of("time,intensity", "00:00,1", "00:01,2");
    assertEquals("its times fall on 1-minute steps; slots of 5 minutes or more are read",
        assertThrows(IllegalArgumentException.class, () -> CarbonProfile.parse(lines, ""))
            .getMessage());
  }

  @Test
  void inline_tiesGoToTheEarlierHour() {
    CarbonProfile p = CarbonProfile.inline("5,1,1,1" + ",9".repeat(20));
    assertEquals(Set.of(1, 2), p.cleanest(2));
    assertTrue(p.cleanest(24).size() == 24);
  }
}
