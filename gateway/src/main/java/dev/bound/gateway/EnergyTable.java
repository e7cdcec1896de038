package dev.bound.gateway;

import dev.bound.config.BoundConfig;
import dev.bound.models.energy.ConversationCost;
import dev.bound.models.energy.ModelProfile;
import dev.bound.models.energy.ProfileMatcher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The table printed by {@code bound energy}: the cost of the next phrase of a long chat. */
public final class EnergyTable {
  /** The model the table answers for unless told otherwise: the question Bound started from. */
  public static final String DEFAULT_MODEL = "dense-1t";

  /** Short names accepted by {@code --model}, each for one built-in profile. */
  static final Map<String, String> ALIASES = aliases();

  private EnergyTable() {}

  private static Map<String, String> aliases() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("1t", "dense-1t");
    m.put("1000b", "dense-1t");
    m.put("8b", "llama-3.1-8b");
    m.put("70b", "llama-3.1-70b");
    m.put("405b", "llama-3.1-405b");
    m.put("7b", "qwen2.5-7b");
    m.put("72b", "qwen2.5-72b");
    m.put("8x7b", "mixtral-8x7b");
    m.put("v3", "deepseek-v3");
    m.put("r1", "deepseek-v3");
    m.put("4o", "gpt-4o-class");
    m.put("4o-mini", "gpt-4o-mini-class");
    m.put("sonnet", "claude-sonnet-class");
    m.put("flash", "gemini-flash-class");
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * Renders the table for a model named as a profile, an alias ({@code 1t}, {@code 70b} …) or an
   * upstream model name that a rule recognises, under the configured deployment.
   *
   * @throws IllegalArgumentException listing the aliases and profiles when nothing matches
   */
  public static String render(BoundConfig.Energy cfg, String model, int tokensPerMinute,
      int phraseTokens, int answerTokens, List<Integer> minutes) {
    EnergyAccounting accounting = new EnergyAccounting(cfg);
    ModelProfile profile = resolve(accounting.matcher(), model);
    return ConversationCost.of(profile, accounting.deployment(), tokensPerMinute, phraseTokens,
        answerTokens, minutes).render();
  }

  /** The profile {@code --model} names; never the silent default. */
  static ModelProfile resolve(ProfileMatcher matcher, String model) {
    String name = model == null ? "" : model.strip().toLowerCase(Locale.ROOT);
    String alias = ALIASES.get(name);
    ProfileMatcher.Match m = matcher.match(alias != null ? alias : name);
    if (!m.matched()) {
      StringBuilder known = new StringBuilder();
      ALIASES.forEach((a, p) -> known.append(known.isEmpty() ? "" : ", ").append(a).append(" (")
          .append(p).append(')'));
      throw new IllegalArgumentException("--model '" + model + "' names no energy profile. Aliases: "
          + known + ". Profiles: " + String.join(", ", ModelProfile.builtins().stream()
              .map(ModelProfile::name).toList())
          + ", or one defined by energy.profile.<name>.* in the config file.");
    }
    return m.profile();
  }
}
