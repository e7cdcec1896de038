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

/** Which hand-written batches (developer questions, prompts) the verifier learns from, and which it is measured on. */
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
        assertEquals(35 + 161, TrainVerifier.DEV_TRAINED.size());
        // 28 and 29 were never read; from 38 on, every third batch is kept for measuring
        List<Integer> heldOut = new java.util.ArrayList<>(List.of(28, 29));
        java.util.stream.IntStream.rangeClosed(38, 279).filter(i -> i % 3 == 0).forEach(heldOut::add);
        for (int held : heldOut) {
            assertTrue(present.contains(held), "batch " + held);
            assertFalse(TrainVerifier.DEV_TRAINED.contains(held), "batch " + held + " is held out");
        }
        assertTrue(TrainVerifier.DEV_TRAINED.containsAll(List.of(1, 27, 30, 37, 38, 40, 128, 130, 278)));
        assertFalse(TrainVerifier.DEV_TRAINED.contains(280), "a batch added later is held out");
        // in the order of their numbers, so that training reads them the same way everywhere
        for (int i = 1; i < files.size(); i++) {
            assertTrue(TrainVerifier.batchNumber(files.get(i - 1)) < TrainVerifier.batchNumber(files.get(i)));
        }
    }

    @Test
    void promptBatches_everyThirdIsHeldOut_theFirstFileIsBatchOne() throws IOException {
        assertEquals(1, TrainVerifier.promptBatchNumber(Path.of("eval/prompt-constraints-handwritten.csv")));
        assertEquals(42, TrainVerifier.promptBatchNumber(Path.of("prompt-constraints-handwritten-42.csv")));
        assertEquals(0, TrainVerifier.promptBatchNumber(Path.of("prompt-contrasts-heldout.csv")));
        assertEquals(0, TrainVerifier.promptBatchNumber(Path.of("dev-questions-handwritten-7.csv")));
        assertEquals(0, TrainVerifier.batchNumber(Path.of("prompt-constraints-handwritten-7.csv")));
        List<Path> files = TrainVerifier.promptFiles(EVAL);
        assertEquals(584, files.size());
        for (int i = 0; i < files.size(); i++) {
            assertEquals(i + 1, TrainVerifier.promptBatchNumber(files.get(i)), files.get(i).toString());
        }
        long trained = files.stream().filter(f -> TrainVerifier.promptTrained(TrainVerifier.promptBatchNumber(f))).count();
        assertEquals(412 - 137, trained);
        assertTrue(TrainVerifier.promptTrained(1));
        assertFalse(TrainVerifier.promptTrained(3));
        assertTrue(TrainVerifier.promptTrained(410));
        assertFalse(TrainVerifier.promptTrained(411));
        assertFalse(TrainVerifier.promptTrained(413), "a batch added later is held out");
    }

    @Test
    void withoutTheBatches_trainingStopsWithAClearMessage() {
        IOException e = assertThrows(IOException.class, () -> TrainVerifier.devFiles(Path.of("no-such-folder")));
        assertTrue(e.getMessage().contains("run from the repository root"), e.getMessage());
    }
}
