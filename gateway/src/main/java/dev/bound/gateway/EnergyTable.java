package dev.bound.gateway;

import dev.bound.config.BoundConfig;
import dev.bound.models.energy.ConversationCost;
import dev.bound.models.energy.ProfileMatcher;
import java.util.List;

/** The table printed by {@code bound energy}: the cost of the next phrase of a long chat. */
public final class EnergyTable {
  private EnergyTable() {}

  /**
   * Renders the table for a model, named as a profile or as an upstream model name, under the
   * configured deployment.
   */
  public static String render(BoundConfig.Energy cfg, String model, int tokensPerMinute,
      int phraseTokens, int answerTokens, List<Integer> minutes) {
    EnergyAccounting accounting = new EnergyAccounting(cfg);
    ProfileMatcher.Match m = accounting.matcher().match(model);
    String note = m.matched() ? ""
        : "Note: '" + model + "' matches no profile; the default profile '"
            + m.profile().name() + "' is used.\n\n";
    return note + ConversationCost.of(m.profile(), accounting.deployment(), tokensPerMinute,
        phraseTokens, answerTokens, minutes).render();
  }
}
