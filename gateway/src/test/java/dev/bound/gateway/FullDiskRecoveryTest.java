package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.gateway.sim.SimulatedUpstream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk closed Lucene's writer for good: Bound needed a restart once space was freed, the
 * answers of the outage were lost with it, and their decision lines still said stored. A disk
 * cannot be filled in a test without root, so the index's files are written through a directory
 * that fails as a full disk does while {@code full} is set.
 */
class FullDiskRecoveryTest {
  @TempDir Path dir;

  @Test
  void aFullDisk_answersWithoutStoring_thenTheIndexReopensWithEveryJournaledAnswer()
      throws Exception {
    AtomicBoolean full = new AtomicBoolean();
    PrintStream stderr = System.err;
    ByteArrayOutputStream caught = new ByteArrayOutputStream();
    System.setErr(new PrintStream(caught, true, StandardCharsets.UTF_8));
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of(), d -> new FullDisk(d, full))) {
      assertEquals("MISS", Harness.tier(h.post("/chat/completions",
          Harness.ask("What is a journal?"))));
      h.gateway.awaitIndexed();
      assertEquals(200, h.getOutsideApi("/readyz").statusCode());
      // Committed now, so that the index's own two-second commit has nothing to write while the
      // disk is full: otherwise it may meet the full disk first, before the answer below is
      // stored, and that answer's line would rightly say it was not stored.
      h.gateway.cache().store().commit();

      full.set(true);
      // The index meets the full disk when it takes this answer, after the answer went out.
      assertEquals("MISS", Harness.tier(h.post("/chat/completions",
          Harness.ask("Why batch the index?"))));
      // Its line was written before the index met the full disk, so it names the answer as
      // stored; that is true once the index opens again (checked below).
      String first = lastDecision(h);
      Matcher storedAs = Pattern.compile("\"stored\":\"([^\"]+)\"").matcher(first);
      assertTrue(storedAs.find(), first);
      assertFalse(first.contains("\"not_stored\":"), first);
      h.gateway.awaitIndexed();
      HttpResponse<String> ready = h.getOutsideApi("/readyz");
      assertEquals(503, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("No space left on device"), ready.body());

      HttpResponse<String> miss = h.post("/chat/completions", Harness.ask("What is a segment?"));
      assertEquals(200, miss.statusCode(), miss.body());
      assertEquals("MISS", Harness.tier(miss), "a miss is still answered");
      String decision = lastDecision(h);
      assertFalse(decision.contains("\"stored\":"), decision);
      assertTrue(decision.contains("\"not_stored\":\"the answer index cannot be written now"),
          decision);
      Matcher waitsAs = Pattern.compile("waits in the journal as (ent_[0-9a-f]+) ").matcher(decision);
      assertTrue(waitsAs.find(), decision);
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions",
          Harness.ask("What is a journal?"))), "what the index holds is still served");

      // Past a try to open it again: the disk still takes no writes, so it stays closed.
      Thread.sleep(Indexer.REOPEN_EVERY.toMillis() + 1_500);
      assertEquals(503, h.getOutsideApi("/readyz").statusCode(), "the disk is still full");

      full.set(false);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (h.getOutsideApi("/readyz").statusCode() != 200 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      ready = h.getOutsideApi("/readyz");
      assertEquals(200, ready.statusCode(), "reopened without a restart: " + ready.body());
      h.gateway.awaitIndexed();
      assertEquals(3, h.gateway.entries(), "every journaled answer is in the index");
      assertTrue(h.gateway.cache().store().get(storedAs.group(1))
          .orElseThrow(() -> new AssertionError("not stored as its line says: " + first))
          .prompt().contains("Why batch the index?"), first);
      assertTrue(h.gateway.cache().store().get(waitsAs.group(1))
          .orElseThrow(() -> new AssertionError("not stored under the id its line gave: "
              + decision))
          .prompt().contains("What is a segment?"), decision);
      for (String q : List.of("What is a journal?", "Why batch the index?",
          "What is a segment?")) {
        assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions", Harness.ask(q))), q);
      }
    } finally {
      System.setErr(stderr);
    }
    String printed = caught.toString(StandardCharsets.UTF_8);
    stderr.print(printed);
    assertEquals(1, printed.lines().filter(l -> l.contains("The indexer cannot use its storage "
        + "and keeps trying: the answer index at ")).count(), printed);
    assertEquals(1, printed.lines()
        .filter(l -> l.contains("The indexer can use its storage again")).count(), printed);
  }

  private static String lastDecision(Harness h) {
    List<String> lines = h.decisionLog().lines().toList();
    return lines.getLast();
  }
}
