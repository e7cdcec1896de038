package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.models.match.PairEvaluation.LabelledPair;
import dev.bound.models.match.QuestionClusters.Component;
import dev.bound.models.match.QuestionClusters.Part;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class QuestionClustersTest {

    private static List<LabelledPair> pairs() {
        List<LabelledPair> pairs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // a, b and c are one cluster (a chain of duplicates); d is their look-alike.
            pairs.add(new LabelledPair("a" + i, "b" + i, true));
            pairs.add(new LabelledPair("b" + i, "c" + i, true));
            pairs.add(new LabelledPair("c" + i, "d" + i, false));
        }
        return pairs;
    }

    @Test
    void of_duplicatesChainIntoOneCluster_lookAlikesShareTheComponentOnly() {
        QuestionClusters q = QuestionClusters.of(pairs());
        assertEquals(q.cluster("a0"), q.cluster("c0"));
        assertNotEquals(q.cluster("a0"), q.cluster("d0"));
        assertNotEquals(q.cluster("a0"), q.cluster("a1"));
        assertEquals(-1, q.cluster("never asked"));
        assertEquals(300, q.components().size());
        Component first = q.components().get(0);
        assertEquals(List.of("a0", "b0", "c0", "d0"), first.questions().stream().map(QuestionClusters.Question::text).toList());
        assertEquals(3, first.pairs().size());
    }

    @Test
    void split_isByComponent_deterministic_andRoughly70_10_20() {
        QuestionClusters q = QuestionClusters.of(pairs());
        Set<String> seen = new HashSet<>();
        int[] count = new int[Part.values().length];
        for (Part part : Part.values()) {
            for (Component c : q.components(part)) {
                count[part.ordinal()]++;
                c.questions().forEach(x -> assertTrue(seen.add(x.text()), x.text() + " is in two parts"));
            }
        }
        assertEquals(300, count[0] + count[1] + count[2]);
        assertTrue(count[0] > 170 && count[0] < 250, "train " + count[0]);
        assertTrue(count[1] > 10 && count[1] < 60, "calibration " + count[1]);
        assertTrue(count[2] > 30 && count[2] < 100, "test " + count[2]);
        // The part depends on the component's text, not on the order of the file.
        List<LabelledPair> reversed = new ArrayList<>(pairs());
        java.util.Collections.reverse(reversed);
        assertEquals(q.pairs(Part.TEST).size(), QuestionClusters.of(reversed).pairs(Part.TEST).size());
    }

    @Test
    void balancedPairs_hasAsManyNegativesAsPositives() {
        QuestionClusters q = QuestionClusters.of(pairs());
        List<LabelledPair> balanced = q.balancedPairs(Part.TRAIN, 7);
        long positives = balanced.stream().filter(LabelledPair::positive).count();
        assertEquals(positives, balanced.size() - positives);
        assertEquals(q.pairs(Part.TRAIN).stream().filter(p -> !p.positive()).count(), positives,
                "the fixture has fewer non-duplicates, so all of them are used");
        assertEquals(balanced, q.balancedPairs(Part.TRAIN, 7));
    }
}
