package dev.bound.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Grid carbon intensity, in gCO2e/kWh, for each hour of the day (UTC). Read from 24 figures in
 * the config, or from a CSV export of hourly intensity such as Electricity Maps' or WattTime's:
 * rows of many days are averaged by hour of day, so a year's export gives a typical day.
 */
record CarbonProfile(double[] hourly, String source) {

  CarbonProfile {
    if (hourly.length != 24) {
      throw new IllegalArgumentException("an intensity profile has 24 hours, not "
          + hourly.length);
    }
    hourly = hourly.clone();
  }

  @Override
  public double[] hourly() {
    return hourly.clone();
  }

  /** Every hour alike. */
  static CarbonProfile flat(double gco2ePerKwh) {
    double[] h = new double[24];
    Arrays.fill(h, gco2ePerKwh);
    return new CarbonProfile(h, "energy.deployment.grid-intensity");
  }

  /** 24 comma-separated figures, for the hours 0 to 23 UTC. */
  static CarbonProfile inline(String figures) {
    double[] h = Arrays.stream(figures.split(",")).map(String::strip)
        .mapToDouble(Double::parseDouble).toArray();
    return new CarbonProfile(h, "cache.variants.dream.intensity");
  }

  /** The intensity of the hour {@code at} falls in. */
  double at(Instant at) {
    return hourly[hourOf(at)];
  }

  static int hourOf(Instant at) {
    return at.atOffset(ZoneOffset.UTC).getHour();
  }

  /** The {@code n} cleanest hours of the day, in order of the clock; ties go to the earlier. */
  Set<Integer> cleanest(int n) {
    Set<Integer> out = new TreeSet<>();
    IntStream.range(0, 24).boxed()
        .sorted(Comparator.comparingDouble((Integer h) -> hourly[h]).thenComparing(h -> h))
        .limit(n).forEach(out::add);
    return out;
  }

  /**
   * Reads a CSV of hourly intensities. The header names the columns; matched case-insensitively:
   * the time ({@code hour}, or a column whose name holds {@code datetime} or {@code time}: an
   * hour 0 to 23, or an ISO-8601 time, UTC unless it carries an offset), the zone ({@code zone
   * id}, {@code zone} or {@code region}; optional) and the intensity (a name that holds both
   * {@code carbon intensity} and {@code lca}, else {@code carbon intensity}, {@code gco2} or
   * {@code intensity}). Every hour of the day needs at least one row.
   *
   * @param zone the zone whose rows are read; empty when the file holds one zone
   */
  static CarbonProfile csv(Path file, String zone) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read cache.variants.dream.intensity-file " + file
          + ": " + e.getMessage());
    }
    try {
      return new CarbonProfile(parse(lines, zone), file.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("cache.variants.dream.intensity-file " + file + ": "
          + e.getMessage());
    }
  }

  static double[] parse(List<String> lines, String zone) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("the file is empty");
    }
    List<String> header = split(lines.get(0)).stream()
        .map(h -> h.strip().toLowerCase(Locale.ROOT).replace("\ufeff", "")).toList();
    int time = column(header, h -> h.equals("hour"), h -> h.contains("datetime"),
        h -> h.contains("time"));
    int zoneCol = column(header, h -> h.equals("zone id"), h -> h.equals("zone"),
        h -> h.equals("zone_id"), h -> h.equals("region"));
    int value = column(header, h -> h.contains("carbon intensity") && h.contains("lca"),
        h -> h.contains("carbon intensity"), h -> h.contains("gco2"), h -> h.contains("intensity"));
    if (time < 0 || value < 0) {
      throw new IllegalArgumentException("the header needs an hour (or datetime) column and an "
          + "intensity (gCO2e/kWh) column; it has " + header);
    }
    double[] sum = new double[24];
    int[] count = new int[24];
    Set<String> zones = new TreeSet<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      List<String> row = split(lines.get(i));
      String z = zoneCol >= 0 && zoneCol < row.size() ? row.get(zoneCol).strip() : "";
      zones.add(z);
      if (!zone.isEmpty() && !z.equalsIgnoreCase(zone)) {
        continue;
      }
      if (row.size() <= Math.max(time, value) || row.get(value).isBlank()) {
        continue; // an hour the export has no figure for
      }
      int h = hour(row.get(time).strip(), i + 1);
      sum[h] += number(row.get(value).strip(), i + 1);
      count[h]++;
    }
    if (zone.isEmpty() && zones.size() > 1) {
      throw new IllegalArgumentException("it holds several zones " + zones
          + "; choose one with cache.variants.dream.zone");
    }
    double[] out = new double[24];
    for (int h = 0; h < 24; h++) {
      if (count[h] == 0) {
        throw new IllegalArgumentException("no row for hour " + h + " UTC"
            + (zone.isEmpty() ? "" : " in zone " + zone));
      }
      out[h] = sum[h] / count[h];
    }
    return out;
  }

  @SafeVarargs
  private static int column(List<String> header,
      java.util.function.Predicate<String>... tries) {
    for (java.util.function.Predicate<String> t : tries) {
      for (int i = 0; i < header.size(); i++) {
        if (t.test(header.get(i))) {
          return i;
        }
      }
    }
    return -1;
  }

  private static int hour(String v, int line) {
    if (v.matches("\\d{1,2}")) {
      int h = Integer.parseInt(v);
      if (h < 24) {
        return h;
      }
    }
    String iso = v.replace(' ', 'T');
    try {
      return OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC).getHour();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(iso).getHour();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("line " + line + ": '" + v
            + "' is neither an hour 0 to 23 nor an ISO-8601 time");
      }
    }
  }

  private static double number(String v, int line) {
    try {
      double d = Double.parseDouble(v);
      if (d >= 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("line " + line + ": '" + v
        + "' is not an intensity in gCO2e/kWh");
  }

  /** The fields of a CSV line; a quoted field may hold commas and doubled quotes. */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        f.append('"');
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        out.add(f.toString());
        f.setLength(0);
      } else {
        f.append(c);
      }
    }
    out.add(f.toString());
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CarbonProfile p && Arrays.equals(hourly, p.hourly)
        && source.equals(p.source);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hourly) * 31 + source.hashCode();
  }

  @Override
  public String toString() {
    return "CarbonProfile[" + source + " " + Arrays.toString(hourly) + "]";
  }
}
