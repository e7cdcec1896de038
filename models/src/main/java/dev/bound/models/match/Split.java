package dev.bound.models.match;

import dev.bound.models.match.PairEvaluation.LabelledPair;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fixed train/held-out split of the shared data, stratified by label. It depends only on the
 * sequence of labels and the seed, so the row-aligned STS-B files (English and its Russian
 * translation) hold out the same pairs and no translation of a held-out pair is trained on.
 */
final class Split {

    static final long SEED = 20250208L;
    static final double HELD_OUT = 0.3;

    private Split() {
    }

    /** Whether each pair is held out. */
    static boolean[] heldOut(List<LabelledPair> pairs) {
        boolean[] out = new boolean[pairs.size()];
        for (boolean label : new boolean[] {true, false}) {
            List<Integer> indices = indicesWithLabel(pairs, label);
            shuffle(indices, new SplittableRandom(SEED + (label ? 1 : 0)));
            int take = (int) Math.round(HELD_OUT * indices.size());
            for (int k = 0; k < take; k++) {
                out[indices.get(k)] = true;
            }
        }
        return out;
    }

    private static List<Integer> indicesWithLabel(List<LabelledPair> pairs, boolean label) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).positive() == label) {
                indices.add(i);
            }
        }
        return indices;
    }

    private static void shuffle(List<Integer> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
