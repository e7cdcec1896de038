package dev.bound.models.match;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import dev.bound.models.match.PairEvaluation.Dataset;
import dev.bound.models.match.PairEvaluation.LabelledPair;
import dev.bound.models.match.PairEvaluation.Report;
import dev.bound.models.match.PairEvaluation.ScoredPair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairEvaluationTest {

    @TempDir
    Path dir;

    @Test
    void parsePaws_skipsHeaderAndReadsLabels() {
        Dataset d = PairEvaluation.parsePaws("p.tsv", "id\tsentence1\tsentence2\tlabel\n"
                + "1\tA cat sat .\tThe cat sat .\t1\n"
                + "2\tA sat cat .\tA cat sat .\t0\n\n");
        assertEquals(List.of(new LabelledPair("A cat sat .", "The cat sat .", true),
                new LabelledPair("A sat cat .", "A cat sat .", false)), d.pairs());
        assertFalse(d.positivesOnly());
    }

    @Test
    void parsePaws_wrongFieldCount_namesTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairEvaluation.parsePaws("p.tsv", "1\ta\tb\t1\n2\ta\tb\n"));
        assertEquals("line 2: expected 4 tab-separated fields, got 3", e.getMessage());
    }

    @Test
    void parseStsb_cutOffsAndQuotedFields() {
        Dataset d = PairEvaluation.parseStsb("s.csv", "A man plays.,A man is playing.,4.0\n"
                + "\"Hi, there\",\"He said \"\"no\"\"\",1.5\n"
                + "Middle one.,Not used.,3.0\n"
                + "Edge.,Edge case.,2.0\n");
        assertEquals(List.of(new LabelledPair("A man plays.", "A man is playing.", true),
                new LabelledPair("Hi, there", "He said \"no\"", false),
                new LabelledPair("Edge.", "Edge case.", false)), d.pairs());
    }

    @Test
    void parseLabelledCsv_questionColumnsByHeader() {
        Dataset d = PairEvaluation.parseLabelledCsv("q.csv", "question1,question2,label\n"
                + "How do I enable 2FA?,How do I turn on 2FA?,1\n"
                + "How do I enable 2FA?,How do I disable 2FA?,0\n");
        assertEquals(2, d.pairs().size());
        assertEquals(new LabelledPair("How do I enable 2FA?", "How do I disable 2FA?", false), d.pairs().get(1));
    }

    @Test
    void parseLabelledCsv_quoraStyleColumns() {
        Dataset d = PairEvaluation.parseLabelledCsv("quora.csv", "id,qid1,qid2,question1,question2,is_duplicate\n"
                + "0,1,2,\"What is x, really?\",What is x?,1\n");
        assertEquals(List.of(new LabelledPair("What is x, really?", "What is x?", true)), d.pairs());
    }

    @Test
    void parsePositivesJson_allPositive() {
        Dataset d = PairEvaluation.parsePositivesJson("m.json",
                "[{\"origin\": \"a \\\"b\\\"\", \"similar\": \"c\\u00e9\"}, {\"origin\": \"d\", \"similar\": \"e\"}]");
        assertEquals(List.of(new LabelledPair("a \"b\"", "cé", true), new LabelledPair("d", "e", true)), d.pairs());
        assertTrue(d.positivesOnly());
    }

    @Test
    void read_detectsFormatByNameAndHeader() throws IOException {
        Files.writeString(dir.resolve("a.tsv"), "1\tx\ty\t1\n");
        Files.writeString(dir.resolve("b.csv"), "x,y,5.0\n");
        Files.writeString(dir.resolve("c.csv"), "question1,question2,label\nx,y,0\n");
        Files.writeString(dir.resolve("d.json"), "[{\"origin\":\"x\",\"similar\":\"y\"}]");
        assertTrue(PairEvaluation.read(dir.resolve("a.tsv")).pairs().get(0).positive());
        assertTrue(PairEvaluation.read(dir.resolve("b.csv")).pairs().get(0).positive());
        assertFalse(PairEvaluation.read(dir.resolve("c.csv")).pairs().get(0).positive());
        assertTrue(PairEvaluation.read(dir.resolve("d.json")).positivesOnly());
    }

    @Test
    void read_badLabel_namesFileAndRow() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "question1,question2,label\nx,y,yes\n");
        IOException e = assertThrows(IOException.class, () -> PairEvaluation.read(file));
        assertEquals(file + ": row 2: label must be 0 or 1, got 'yes'", e.getMessage());
    }

    /**
     * Scores 0.9+, 0.8-, 0.7+, 0.6+, 0.5- (3 positives, 2 negatives). Cutting below each score:
     * 0.9 P 1 R 1/3 F1 0.5; 0.8 P 1/2 R 1/3 F1 0.4; 0.7 P 2/3 R 2/3 F1 2/3; 0.6 P 3/4 R 1 F1 6/7;
     * 0.5 P 3/5 R 1 F1 3/4. AUC: of the 6 positive-negative pairs, 4 are ordered right.
     */
    @Test
    void report_handComputedCurve() {
        List<ScoredPair> scored = List.of(new ScoredPair(0.9, true), new ScoredPair(0.8, false),
                new ScoredPair(0.7, true), new ScoredPair(0.6, true), new ScoredPair(0.5, false));
        Report r = PairEvaluation.report("tiny", "m", 0.65, scored, false, null);
        assertEquals(6.0 / 7, r.bestF1(), 1e-12);
        assertEquals(0.6, r.bestF1Threshold());
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3}, r.recallAtPrecision(), 1e-12);
        assertArrayEquals(new double[] {0.9, 0.9}, r.thresholdAtPrecision());
        assertEquals(4.0 / 6, r.rocAuc(), 1e-12);
        assertEquals(2.0 / 3, r.precisionAtThreshold(), 1e-12);
        assertEquals(2.0 / 3, r.recallAtThreshold(), 1e-12);
        assertEquals(3.0 / 5, r.acceptedAtThreshold(), 1e-12);
        assertEquals(5, r.curve().size());
        assertEquals(new PairEvaluation.Point(0.6, 0.75, 1.0), r.curve().get(3));
    }

    @Test
    void report_tiedScoresAreCutTogether() {
        List<ScoredPair> scored = List.of(new ScoredPair(0.8, true), new ScoredPair(0.8, false), new ScoredPair(0.1, true));
        Report r = PairEvaluation.report("ties", "m", 0.5, scored, false, null);
        assertEquals(0.25, r.rocAuc(), 1e-12, "the tied pair counts half, the other pair is ordered wrong");
        assertEquals(0.5, r.curve().get(0).precision(), 1e-12, "no threshold serves one of the tied pair alone");
        assertTrue(Double.isNaN(r.recallAtPrecision()[0]), "precision 0.95 is never reached");
    }

    @Test
    void report_positivesOnly_givesShareAccepted() {
        Report r = PairEvaluation.report("pos", "m", 0.5,
                List.of(new ScoredPair(0.9, true), new ScoredPair(0.4, true)), true, null);
        assertEquals(0.5, r.acceptedAtThreshold());
        assertTrue(Double.isNaN(r.precisionAtThreshold()));
        assertTrue(r.row().contains("acc 0.500@0.500"), r.row());
    }

    @Test
    void toJson_holdsCurveAndCost() {
        Report r = PairEvaluation.report("tiny", "m", 0.65, List.of(new ScoredPair(0.9, true), new ScoredPair(0.1, false)),
                false, new PairEvaluation.Cost(3.0, 0.5, 0.01));
        JsonObject o = JsonParser.parseString(r.toJson()).getAsJsonObject();
        assertEquals(1.0, o.get("bestF1").getAsDouble());
        assertEquals(1.0, o.get("recallAtPrecision0.95").getAsDouble());
        assertEquals(2, o.getAsJsonArray("curve").size());
        assertEquals(4.01, o.getAsJsonObject("costMs").get("perLookupMs").getAsDouble(), 1e-9);
        assertEquals(1, JsonParser.parseString(Report.json(List.of(r))).getAsJsonArray().size());
        assertTrue(Report.table(List.of(r)).startsWith("dataset"));
    }
}
