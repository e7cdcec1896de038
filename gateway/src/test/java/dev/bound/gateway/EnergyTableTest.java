package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.models.energy.ProfileMatcher;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code bound energy --model} accepts, and what it refuses instead of falling back. */
class EnergyTableTest {
  private final ProfileMatcher matcher = ProfileMatcher.builtin();

  @Test
  void resolve_aliases() {
    assertEquals("dense-1t", EnergyTable.resolve(matcher, "1t").name());
    assertEquals("dense-1t", EnergyTable.resolve(matcher, "1T").name());
    assertEquals("llama-3.1-8b", EnergyTable.resolve(matcher, "8b").name());
    assertEquals("llama-3.1-70b", EnergyTable.resolve(matcher, "70b").name());
    assertEquals("llama-3.1-405b", EnergyTable.resolve(matcher, "405b").name());
    assertEquals("deepseek-v3", EnergyTable.resolve(matcher, "v3").name());
  }

  @Test
  void resolve_profileAndUpstreamNames() {
    assertEquals("dense-1t", EnergyTable.resolve(matcher, "dense-1t").name());
    assertEquals("gpt-4o-class", EnergyTable.resolve(matcher, "gpt-4o-2024-08-06").name());
    assertEquals("llama-3.1-70b", EnergyTable.resolve(matcher, "llama3.1:70b").name());
  }

  @Test
  void resolve_unknownName_refusedWithTheList() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EnergyTable.resolve(matcher, "2t"));
    for (String expected : List.of("--model '2t' names no energy profile", "1t (dense-1t)",
        "70b (llama-3.1-70b)", "Profiles: llama-3.1-8b")) {
      assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
  }

  @Test
  void aliases_allNameBuiltinProfiles() {
    EnergyTable.ALIASES.forEach((alias, profile) ->
        assertEquals(profile, EnergyTable.resolve(matcher, alias).name(), alias));
  }
}
