package dev.bound.models.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    }

    @Test
    void rows_keepingTheKvCache_costsLessAndGrowsSlowly() {
        List<ConversationCost.Row> rows = table.rows();
        for (int i = 0; i < rows.size(); i += 2) {
            ConversationCost.Row kept = rows.get(i);
            ConversationCost.Row redone = rows.get(i + 1);
            assertTrue(kept.reuseKv() && !redone.reuseKv());
            assertTrue(kept.estimate().wh() < redone.estimate().wh(), kept + " vs " + redone);
        }
        // At minute 505 redoing the 113,625-token context costs over 100 times keeping it (batch 32).
        ConversationCost.Row kept = rows.get(rows.size() - 2);
        ConversationCost.Row redone = rows.get(rows.size() - 1);
        assertTrue(redone.estimate().wh() > 100 * kept.estimate().wh(), kept + " vs " + redone);
    }

    @Test
    void of_batchOneDeployment_noDuplicateRows() {
        ConversationCost single = ConversationCost.of(ModelProfile.builtin("llama-3.1-8b"),
                Deployment.DEFAULT.withBatch(1), 100, 20, 40, List.of(1, 2));
        assertEquals(4, single.rows().size());
        assertEquals(200, single.rows().get(2).contextTokens());
    }

    @Test
    void render_showsAssumptionsEveryMinuteAndTheBand() {
        String text = table.render();
        for (String expected : List.of("llama-3.1-70b", "3 × h100-sxm", "PUE 1.56", "445 gCO2e/kWh", "0.1 USD/kWh",
                "prefill 40 % of peak FLOP/s", "decode 60 % of peak bandwidth", "power 70 % of board",
                "   505    113625 kept    32", "Band:", "batch ×/÷ 2")) {
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
