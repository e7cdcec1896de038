package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which hand-written developer batches the verifier learns from, and which it is measured on. */
class TrainVerifierTest {

    /** Tests run in the module's folder, where the batches are in {@code eval}. */
    private static final Path EVAL = Path.of("eval");

    @Test
    void aBatchIsKnownByTheNumberInItsName() {
        assertEquals(7, TrainVerifier.batchNumber(Path.of("eval/dev-questions-handwritten-7.csv")));
        assertEquals(42, TrainVerifier.batchNumber(Path.of("dev-questions-handwritten-42.csv")));
        assertEquals(0, TrainVerifier.batchNumber(Path.of("prompt-contrasts-heldout.csv")));
        assertEquals(0, TrainVerifier.batchNumber(Path.of("dev-questions-handwritten-7.csv.bak")));
    }

    @Test
    void everyBatchTrainedOnIsInTheTree_andTheHeldOutOnesAreNot() throws IOException {
        List<Path> files = TrainVerifier.devFiles(EVAL);
        Set<Integer> present = files.stream().map(TrainVerifier::batchNumber).collect(Collectors.toSet());
        assertTrue(present.containsAll(TrainVerifier.DEV_TRAINED), "a batch trained on is missing: " + present);
        assertEquals(35, TrainVerifier.DEV_TRAINED.size());
        // never read before they were measured: held out from training too
        List<Integer> heldOut = new java.util.ArrayList<>(List.of(28, 29));
        java.util.stream.IntStream.rangeClosed(38, 129).forEach(heldOut::add);
        for (int held : heldOut) {
            assertTrue(present.contains(held), "batch " + held);
            assertFalse(TrainVerifier.DEV_TRAINED.contains(held), "batch " + held + " is held out");
        }
        // in the order of their numbers, so that training reads them the same way everywhere
        for (int i = 1; i < files.size(); i++) {
            assertTrue(TrainVerifier.batchNumber(files.get(i - 1)) < TrainVerifier.batchNumber(files.get(i)));
        }
    }

    @Test
    void withoutTheBatches_trainingStopsWithAClearMessage() {
        IOException e = assertThrows(IOException.class, () -> TrainVerifier.devFiles(Path.of("no-such-folder")));
        assertTrue(e.getMessage().contains("run from the repository root"), e.getMessage());
    }
}
