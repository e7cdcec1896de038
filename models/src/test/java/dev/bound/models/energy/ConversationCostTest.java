package dev.bound.models.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ConversationCostTest {

    private final ConversationCost table =
            ConversationCost.of(ModelProfile.builtin("llama-3.1-70b"), Deployment.DEFAULT);

    @Test
    void of_defaults_fourRowsPerMinute() {
        assertEquals(225, table.tokensPerMinute());
        assertEquals(30, table.promptTokens());
        assertEquals(30, table.answerTokens());
        assertEquals(5 * 4, table.rows().size());
        ConversationCost.Row last = table.rows().get(table.rows().size() - 1);
        assertEquals(505, last.minute());
        assertEquals(505L * 225, last.contextTokens());
        assertEquals(32, last.batch());
        assertEquals(3, last.effectiveBatch());
        assertEquals(4, last.accelerators());
    }

    @Test
    void rows_keepingTheKvCache_costsLessAndIsChargedForHolding() {
        List<ConversationCost.Row> rows = table.rows();
        for (int i = 0; i < rows.size(); i += 2) {
            ConversationCost.Row kept = rows.get(i);
            ConversationCost.Row redone = rows.get(i + 1);
            assertTrue(kept.reuseKv() && !redone.reuseKv());
            assertTrue(kept.estimate().wh() < redone.estimate().wh(), kept + " vs " + redone);
            assertTrue(kept.hold().wh() > 0 && kept.hold().wh() < kept.estimate().wh(), kept.toString());
            assertEquals(0, redone.hold().wh());
        }
        // At minute 505 redoing the 113,625-token context costs over 5 times keeping it (batch 32),
        // though holding 37 GB of cache for 16 s is now most of what keeping it costs.
        ConversationCost.Row kept = rows.get(rows.size() - 2);
        ConversationCost.Row redone = rows.get(rows.size() - 1);
        assertTrue(redone.estimate().wh() > 5 * kept.estimate().wh(), kept + " vs " + redone);
        assertTrue(kept.hold().wh() > 0.5 * kept.estimate().wh(), kept.toString());
    }

    @Test
    void totals_wholeConversation_keptBeatsRedoneAndGrowsFasterThanLinearly() {
        assertEquals(2, table.totals().size());
        ConversationCost.Total batched = table.totals().get(1);
        assertEquals(32, batched.batch());
        // a 60-token turn every 16 s from context 0 to 113,625: 1,894 turns
        assertEquals(1894, batched.turns());
        assertTrue(batched.kept().wh() < batched.redone().wh());
        ConversationCost half = ConversationCost.of(ModelProfile.builtin("llama-3.1-70b"), Deployment.DEFAULT, 225,
                30, 30, List.of(252));
        assertTrue(batched.kept().wh() > 2.5 * half.totals().get(1).kept().wh());
    }

    @Test
    void joulesPerToken_isThePhraseOverItsTokens() {
        ConversationCost.Row r = table.rows().get(0);
        assertEquals(r.estimate().wh() * 3600 / 60, table.joulesPerToken(r), 1e-12);
    }

    @Test
    void of_batchOneDeployment_noDuplicateRows() {
        ConversationCost single = ConversationCost.of(ModelProfile.builtin("llama-3.1-8b"),
                Deployment.DEFAULT.withBatch(1), 100, 20, 40, List.of(1, 2));
        assertEquals(4, single.rows().size());
        assertEquals(1, single.totals().size());
        assertEquals(200, single.rows().get(2).contextTokens());
    }

    @Test
    void of_tooManyTurns_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConversationCost.of(
                ModelProfile.builtin("llama-3.1-8b"), Deployment.DEFAULT, 100_000, 1, 0, List.of(1000)));
        assertTrue(e.getMessage().contains("more than 1000000 turns"), e.getMessage());
    }

    @Test
    void render_showsAssumptionsColumnsTotalsAndTheMemoryLimit() {
        String text = table.render();
        for (String expected : List.of("llama-3.1-70b", "4 × h100-sxm", "PUE 1.56", "host overhead ×1.6",
                "445 gCO2e/kWh", "0.1 USD/kWh", "prefill 40 % of peak FLOP/s", "decode 60 % of peak bandwidth",
                "power from batch (ML.ENERGY curve)", "batch 32 fits up to 14009 tokens each (minute 62)",
                "J/token", "Wh/phrase mid (low–high)", "hold Wh", "   505   113625 kept     3*    4",
                "* the batch shrank", "Whole conversation to minute 505: 1894 turns, one every 16 s",
                "KV kept kWh mid (low–high)", "KV redone kWh mid (low–high)", "square of its length", "Band:",
                "batch ×/÷ 2")) {
            assertTrue(text.contains(expected), "missing '" + expected + "' in\n" + text);
        }
    }

    @Test
    void sig_threeSignificantFigures() {
        assertEquals("0.000123", ConversationCost.sig(0.00012345));
        assertEquals("18.3", ConversationCost.sig(18.25));
        assertEquals("12346", ConversationCost.sig(12345.6));
        assertEquals("0", ConversationCost.sig(0));
    }
}
