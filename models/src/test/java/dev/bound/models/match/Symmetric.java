package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.ToDoubleBiFunction;

/** A pair flag that must not depend on which text is the query: computed both ways, checked equal. */
final class Symmetric {

    private Symmetric() {
    }

    static double flag(ToDoubleBiFunction<TextFeatures, TextFeatures> f, String a, String b) {
        double forward = f.applyAsDouble(TextFeatures.of(a), TextFeatures.of(b));
        assertEquals(forward, f.applyAsDouble(TextFeatures.of(b), TextFeatures.of(a)), "not symmetric: " + a + " / " + b);
        return forward;
    }
}
