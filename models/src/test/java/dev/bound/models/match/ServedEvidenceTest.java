package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The offline evidence of the error bound: its counts, its file, and the one Bound ships. */
class ServedEvidenceTest {

    @Test
    void count_putsEachScoreInItsBin_rightAndWrongApart() {
        ServedEvidence e = ServedEvidence.count("cosine", "m", null,
                new double[] {0.3, 0.5, 0.705, 0.709, 0.999, 1.0}, new boolean[] {true, false, true, false, true, true},
                "test");
        assertEquals(5, e.total(), 1e-12, "a score below the bins is left out");
        assertEquals(1, e.wrong()[0]);
        assertEquals(1, e.correct()[20]);
        assertEquals(1, e.wrong()[20]);
        assertEquals(2, e.correct()[49]);
    }

    @Test
    void file_roundTrips_andKeepsOtherMatchers() {
        ServedEvidence a = ServedEvidence.count("cosine", "m", null, new double[] {0.9}, new boolean[] {true}, "a");
        ServedEvidence b = ServedEvidence.count("verified", "m", "abc", new double[] {0.8, 0.8},
                new boolean[] {true, false}, "b");
        String text = b.mergedInto(a.mergedInto(null));
        assertEquals(Optional.of(a), ServedEvidence.parse(text, "cosine"));
        assertEquals(Optional.of(b), ServedEvidence.parse(text, "verified"));
        assertEquals(Optional.empty(), ServedEvidence.parse(text, "verified-lexical"));
        ServedEvidence again = ServedEvidence.count("cosine", "m", null, new double[] {0.6}, new boolean[] {false}, "c");
        assertEquals(Optional.of(again), ServedEvidence.parse(again.mergedInto(text), "cosine"), "replaced");
        assertNull(ServedEvidence.parse(text, "cosine").orElseThrow().verifierSha256());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ServedEvidence.parse(text.replace("\"width\": 0.01", "\"width\": 0.02"), "cosine"));
        assertTrue(bad.getMessage().contains("other score bins"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.mergedInto("{\"format\": 7}"),
                "a file of another kind is not overwritten");
    }

    @Test
    void shipped_matchesTheShippedVerifiers_andOnlyTheirEmbeddingModel() {
        for (String matcher : new String[] {"verified-lexical", "cosine"}) {
            ServedEvidence e = ServedEvidence.builtin(matcher, "all-minilm-l6-v2-q").orElseThrow(
                    () -> new AssertionError("no shipped evidence for " + matcher
                            + " that matches this build's verifier.json: rerun the command in MATCHING.md"));
            assertTrue(e.total() > 500, e.toString());
        }
        assertEquals(Verifier.builtinSha256(),
                ServedEvidence.builtin("verified-lexical", "all-minilm-l6-v2-q").orElseThrow().verifierSha256());
        assertEquals(Optional.empty(), ServedEvidence.builtin("verified-lexical", "bge-small-en-v1.5-q"));
        assertEquals(Optional.empty(), ServedEvidence.builtin("cosine", "bge-small-en-v1.5-q"));
    }
}
