package dev.bound.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bound.config.BoundConfig;
import dev.bound.models.energy.Accelerator;
import dev.bound.models.energy.Deployment;
import dev.bound.models.energy.EnergyModel;
import dev.bound.models.energy.Estimate;
import dev.bound.models.energy.ModelProfile;
import dev.bound.models.energy.ProfileMatcher;
import dev.bound.models.energy.Request;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Prices each request with the energy model: what a hit saved the upstream, less what Bound
 * itself spent on embedding and searching; on a miss, only what Bound spent.
 */
public final class EnergyAccounting {
  /** The outcome for one request; every figure has its low–high band. */
  public record Account(String profile, boolean profileMatched, double wh, double whLow,
      double whHigh, double gco2e, double gco2eLow, double gco2eHigh, double money,
      double moneyLow, double moneyHigh, double boundWh) {

    /**
     * Writes the {@code "energy"} object of a decision line: the profile, each figure with its
     * band, the currency and what Bound itself spent.
     */
    public void write(JsonGenerator g, String currency) throws IOException {
      g.writeObjectFieldStart("energy");
      g.writeStringField("profile", profile);
      if (!profileMatched) {
        g.writeStringField("profile_note", UNMATCHED);
      }
      for (Figure f : FIGURES) {
        g.writeNumberField(f.name(), round(f.of().applyAsDouble(this)));
      }
      g.writeStringField("currency", currency);
      g.writeNumberField("bound_wh", round(boundWh));
      g.writeEndObject();
    }

    private static final String UNMATCHED = "unknown model, costed as the default profile";

    private record Figure(String name, ToDoubleFunction<Account> of) {}

    /** The figures a decision line shows, in its order. */
    private static final List<Figure> FIGURES = List.of(new Figure("wh", Account::wh),
        new Figure("wh_low", Account::whLow), new Figure("wh_high", Account::whHigh),
        new Figure("gco2e", Account::gco2e), new Figure("gco2e_low", Account::gco2eLow),
        new Figure("gco2e_high", Account::gco2eHigh), new Figure("money", Account::money),
        new Figure("money_low", Account::moneyLow), new Figure("money_high", Account::moneyHigh));
  }

  private final ProfileMatcher matcher;
  /**
   * The profile each model name matched, since matching tries every rule's pattern and every
   * request is accounted; bounded, as clients choose the names.
   */
  private final Cache<String, ProfileMatcher.Match> matched = Caffeine.newBuilder()
      .maximumSize(1_000).build();
  private final Deployment deployment;
  private final double cpuWatts;

  EnergyAccounting(BoundConfig.Energy cfg) {
    Map<String, Map<String, String>> profiles = group(cfg.fileOnly(), "energy.profile.");
    Map<String, Map<String, String>> accelerators = group(cfg.fileOnly(), "energy.accelerator.");
    Map<String, Map<String, String>> rules = group(cfg.fileOnly(), "energy.match.");
    Map<String, Accelerator> userAccelerators = new LinkedHashMap<>();
    accelerators.forEach((name, fields) ->
        userAccelerators.put(name, Accelerator.fromProperties(name, fields)));
    List<ModelProfile> userProfiles = new ArrayList<>();
    profiles.forEach((name, fields) -> userProfiles.add(ModelProfile.fromProperties(name, fields)));
    List<ProfileMatcher.Rule> userRules = new ArrayList<>();
    new TreeMap<>(rules).entrySet().stream()
        .sorted((a, b) -> Long.compare(order(a.getKey()), order(b.getKey())))
        .forEach(e -> {
          String pattern = e.getValue().get("pattern");
          String profile = e.getValue().get("profile");
          if (pattern == null || profile == null) {
            throw new IllegalArgumentException("energy.match." + e.getKey()
                + " needs both .pattern and .profile");
          }
          userRules.add(new ProfileMatcher.Rule(pattern, profile));
        });
    this.matcher = ProfileMatcher.of(userRules, userProfiles, cfg.defaultProfile());
    this.deployment = Deployment.fromProperties(cfg.deployment(), userAccelerators);
    this.cpuWatts = cfg.cpuWatts();
  }

  public Deployment deployment() {
    return deployment;
  }

  ProfileMatcher matcher() {
    return matcher;
  }

  /**
   * The account of one request.
   *
   * @param model the model the answer is for
   * @param usage the answer's {@code usage}, on a hit (read by {@link TokenUsage#of}); null on a
   *     miss or bypass
   * @param boundNanos Bound's own embedding and search time for this request
   */
  public Account account(String model, JsonNode usage, long boundNanos) {
    // Prompt tokens the provider read from its own prefix cache, however it reports them, were
    // not computed again; crediting them as a full prefill overstated long chats many times over.
    return account(model, TokenUsage.of(usage), boundNanos);
  }

  /** As {@link #account(String, JsonNode, long)}, from token counts already read. */
  public Account account(String model, TokenUsage u, long boundNanos) {
    ProfileMatcher.Match m = matched.get(model == null ? "" : model, matcher::match);
    double own = EnergyModel.cpuWh(boundNanos, cpuWatts);
    Estimate avoided = Estimate.ZERO;
    if (!u.isEmpty()) {
      avoided = EnergyModel.of(m.profile(), deployment)
          .estimate(Request.fromUsage(u.prompt(), u.cacheRead(), u.completion()));
    }
    double kwhOwn = own / 1000;
    double gOwn = kwhOwn * deployment.gridIntensity();
    double moneyOwn = kwhOwn * deployment.pricePerKwh();
    return new Account(m.profile().name(), m.matched(), avoided.wh() - own,
        avoided.whLow() - own, avoided.whHigh() - own, avoided.gco2e() - gOwn,
        avoided.gco2eLow() - gOwn, avoided.gco2eHigh() - gOwn, avoided.money() - moneyOwn,
        avoided.moneyLow() - moneyOwn, avoided.moneyHigh() - moneyOwn, own);
  }

  /** Groups {@code prefix<name>.<field>} keys by name. */
  private static Map<String, Map<String, String>> group(Map<String, String> keys, String prefix) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    keys.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        String rest = k.substring(prefix.length());
        int dot = rest.lastIndexOf('.');
        if (dot <= 0) {
          throw new IllegalArgumentException(k + " must have the form " + prefix
              + "<name>.<field>");
        }
        out.computeIfAbsent(rest.substring(0, dot), n -> new LinkedHashMap<>())
            .put(rest.substring(dot + 1), v);
      }
    });
    return out;
  }

  private static long order(String n) {
    try {
      return Long.parseLong(n);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("energy.match." + n + " must be numbered (energy.match."
          + "1.pattern, energy.match.2.pattern, ...), tried in that order");
    }
  }

  private static final MathContext SIX = new MathContext(6);

  /** Six significant digits: the figures span many orders of magnitude and are estimates. */
  public static double round(double v) {
    return v == 0 || !Double.isFinite(v) ? v : six(v).doubleValue();
  }

  /** A figure for a header: six significant digits, never in exponent form. */
  public static String plain(double v) {
    return v == 0 ? "0" : six(v).stripTrailingZeros().toPlainString();
  }

  /**
   * {@code v} rounded half-up to six significant digits, exactly as rounding its full binary
   * value would. The shortest decimal that identifies a double is rounded instead when it has
   * eight or more significant digits: no seven-digit number, and so no rounding boundary, then
   * lies between it and the double, so both round alike. That avoids the big-integer arithmetic
   * of the exact expansion, about a tenth of the handler's CPU time on an exact hit.
   */
  private static BigDecimal six(double v) {
    BigDecimal shortest = BigDecimal.valueOf(v);
    return (shortest.precision() >= 8 ? shortest : new BigDecimal(v)).round(SIX);
  }
}
