package dev.bound.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.EnergyAccounting;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * What Bound's own ledger says about a bench run, read from {@code /api/savings} over the run's
 * minutes: the temperature mix (how much novelty traffic variant pools served) and the energy
 * and carbon pre-generation shifted. The bench measures from outside; this is Bound's account.
 */
final class SavingsSummary {
  private SavingsSummary() {}

  /**
   * The ledger's totals from the minute {@code fromMillis} falls in until now.
   *
   * @param v1 the base URL given to clients, ending in {@code /v1}
   * @param token an admin or dashboard token
   */
  static JsonNode fetch(URI v1, String token, long fromMillis)
      throws IOException, InterruptedException {
    URI u = v1.resolve("/api/savings?granularity=minute&from=" + (fromMillis / 60_000 * 60_000)
        + "&to=" + (System.currentTimeMillis() + 1));
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(u)
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + u + " answered " + r.statusCode() + ": " + r.body());
    }
    return LoadBench.JSON.readTree(r.body()).path("totals");
  }

  /** A figure in plain digits, never in exponent form. */
  private static String num(JsonNode n, String field) {
    return EnergyAccounting.plain(n.path(field).asDouble());
  }

  /** The totals as lines of text under the bench's table. */
  static String table(JsonNode totals) {
    JsonNode mix = totals.path("temperature_mix");
    JsonNode c = totals.path("carbon_shifted");
    StringBuilder sb = new StringBuilder("Bound's ledger over the run (/api/savings):\n");
    sb.append(String.format(Locale.ROOT, "  novelty requests %d, served from variant pools %d "
        + "(%.1f %%)%n", mix.path("novelty_requests").asLong(),
        mix.path("served_from_pools").asLong(),
        100 * mix.path("share_served_from_pools").asDouble()));
    sb.append(String.format(Locale.ROOT, "  pre-generated %d variants (%d kept): %s Wh shifted "
        + "into the clean window%n", c.path("pregenerated").asLong(),
        c.path("pregenerated_stored").asLong(), num(c, "wh_shifted")));
    sb.append(String.format(Locale.ROOT, "  they emitted %s gCO2e in the slots they ran in",
        num(c, "pregeneration_gco2e")));
    if (c.path("shift_priced_at").asText().equals("serving_hours")) {
      sb.append(String.format(Locale.ROOT, "; at the %s gCO2e/kWh variant hits were served at "
          + "on average (%d hits), %s gCO2e%n", num(c, "serving_intensity_gco2e_per_kwh"),
          c.path("variant_hits").asLong(), num(c, "pregeneration_gco2e_at_serving_hours")));
    } else {
      sb.append(String.format(Locale.ROOT, "; at the slots their pools were last asked in, %s "
          + "gCO2e (no variant hit yet)%n",
          num(c, "pregeneration_gco2e_at_demand_hours")));
    }
    sb.append("  carbon shifted: ").append(num(c, "gco2e_shifted")).append(" gCO2e\n");
    return sb.toString();
  }
}
