package dev.bound.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
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
 * Grid carbon intensity, in gCO2e/kWh, for each slot of the day (UTC): hours by default, or the
 * 5- to 30-minute steps real grid signals are published at (WattTime's marginal signal every 5
 * minutes, Electricity Maps at 5 or 15). Read from figures in the config, or from a CSV export:
 * rows of many days are averaged by slot of day, so a year's export gives a typical day.
 */
record CarbonProfile(double[] slots, String source) {
  /** Slot lengths a profile may have, in minutes: each divides the hour. */
  private static final java.util.List<Integer> STEPS = java.util.List.of(5, 6, 10, 12, 15, 20,
      30, 60);

  CarbonProfile {
    if (slots.length == 0 || 1440 % slots.length != 0
        || !STEPS.contains(1440 / slots.length)) {
      throw new IllegalArgumentException("an intensity profile has 24 hours or a slot every 5, "
          + "6, 10, 12, 15, 20 or 30 minutes, not " + slots.length + " slots a day");
    }
    slots = slots.clone();
  }

  @Override
  public double[] slots() {
    return slots.clone();
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

  /** Minutes in one slot: 60 for an hourly profile. */
  int slotMinutes() {
    return 1440 / slots.length;
  }

  /** The intensity of the slot {@code at} falls in. */
  double at(Instant at) {
    return slots[slotOf(at)];
  }

  /** The slot of the day {@code at} falls in, counted from 00:00 UTC. */
  int slotOf(Instant at) {
    LocalTime t = at.atOffset(ZoneOffset.UTC).toLocalTime();
    return (t.getHour() * 60 + t.getMinute()) / slotMinutes();
  }

  /** How many slots make {@code hours} hours, to the nearest slot; at least one. */
  int slotsIn(double hours) {
    return (int) Math.max(1, Math.min(slots.length, Math.round(hours * 60 / slotMinutes())));
  }

  /** When a slot starts, as HH:MM UTC. */
  String start(int slot) {
    int m = slot * slotMinutes();
    return String.format(Locale.ROOT, "%02d:%02d", m / 60, m % 60);
  }

  /** The {@code n} cleanest slots of the day, in order of the clock; ties go to the earlier. */
  Set<Integer> cleanest(int n) {
    Set<Integer> out = new TreeSet<>();
    IntStream.range(0, slots.length).boxed()
        .sorted(Comparator.comparingDouble((Integer h) -> slots[h]).thenComparing(h -> h))
        .limit(n).forEach(out::add);
    return out;
  }

  /**
   * Reads a CSV of intensities. The header names the columns; matched case-insensitively: the
   * time ({@code hour}, or a column whose name holds {@code datetime} or {@code time}: an hour 0
   * to 23, a time of day HH:MM, or an ISO-8601 time, UTC unless it carries an offset), the zone
   * ({@code zone id}, {@code zone} or {@code region}; optional) and the intensity (a name that
   * holds both {@code carbon intensity} and {@code lca}, else {@code carbon intensity},
   * {@code gco2} or {@code intensity}). The slot length is the step the times fall on (an hour
   * when every time is on the hour); every slot of the day needs at least one row.
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
    double[] byMinute = new double[1440];
    int[] count = new int[1440];
    int step = 60;
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
        continue; // a time the export has no figure for
      }
      int m = minuteOfDay(row.get(time).strip(), i + 1);
      byMinute[m] += number(row.get(value).strip(), i + 1);
      count[m]++;
      step = gcd(step, m);
    }
    if (zone.isEmpty() && zones.size() > 1) {
      throw new IllegalArgumentException("it holds several zones " + zones
          + "; choose one with cache.variants.dream.zone");
    }
    if (step < STEPS.get(0)) {
      throw new IllegalArgumentException("its times fall on " + step + "-minute steps; slots "
          + "of 5 minutes or more are read");
    }
    double[] out = new double[1440 / step];
    for (int s = 0; s < out.length; s++) {
      if (count[s * step] == 0) {
        int m = s * step;
        throw new IllegalArgumentException("no row for "
            + (step == 60 ? "hour " + m / 60 : String.format(Locale.ROOT, "%02d:%02d", m / 60,
                m % 60)) + " UTC" + (zone.isEmpty() ? "" : " in zone " + zone));
      }
      out[s] = byMinute[s * step] / count[s * step];
    }
    return out;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
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

  /** The minute of the day (UTC) a time column's value names. */
  private static int minuteOfDay(String v, int line) {
    java.util.regex.Matcher hm = java.util.regex.Pattern.compile("(\\d{1,2})(?::(\\d{2}))?")
        .matcher(v);
    if (hm.matches()) {
      int h = Integer.parseInt(hm.group(1));
      int m = hm.group(2) == null ? 0 : Integer.parseInt(hm.group(2));
      if (h < 24 && m < 60) {
        return h * 60 + m;
      }
    }
    String iso = v.replace(' ', 'T');
    LocalTime t;
    try {
      t = OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC).toLocalTime();
    } catch (DateTimeParseException e) {
      try {
        t = LocalDateTime.parse(iso).toLocalTime();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException("line " + line + ": '" + v
            + "' is neither an hour 0 to 23, a time HH:MM nor an ISO-8601 time");
      }
    }
    return t.getHour() * 60 + t.getMinute();
  }

  /**
   * The highest intensity believed, as cache.variants.dream.intensity allows: the dirtiest grids
   * are near 1,000 gCO2e/kWh, so a higher figure is a unit or a typing mistake.
   */
  static final double MAX_INTENSITY = 5000;

  private static double number(String v, int line) {
    try {
      double d = Double.parseDouble(v);
      if (d >= 0 && d <= MAX_INTENSITY) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("line " + line + ": '" + v
        + "' is not an intensity in gCO2e/kWh from 0 to " + (int) MAX_INTENSITY);
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
    return o instanceof CarbonProfile p && Arrays.equals(slots, p.slots)
        && source.equals(p.source);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(slots) * 31 + source.hashCode();
  }

  @Override
  public String toString() {
    return "CarbonProfile[" + source + " " + Arrays.toString(slots) + "]";
  }
}
