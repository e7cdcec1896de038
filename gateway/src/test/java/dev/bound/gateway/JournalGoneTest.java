package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.bound.gateway.sim.SimulatedUpstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's directory removed under a running Bound (a clean-up script, a lost mount): the
 * journal could no longer begin a segment, and the failed checkpoint stopped every commit of the
 * index after it, so a crash then lost every answer since, though each had been served as a hit.
 */
class JournalGoneTest {
  @Test
  void theIndexIsStillCommitted_afterTheJournalDirectoryIsRemoved(@TempDir Path dir)
      throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream();
        Harness h = new Harness(dir, up.url(), Map.of())) {
      int before = committedDocs(dir.resolve("index"));
      deleteTree(dir.resolve("journal"));
      for (String q : new String[] {"What is a journal?", "Why batch the index?"}) {
        assertEquals("MISS", Harness.tier(h.post("/chat/completions", Harness.ask(q))));
      }
      h.gateway.awaitIndexed();

      // What a crash would keep is the index's last commit; it is read beside the running Bound.
      // Commits come every two seconds.
      long deadline = System.nanoTime() + 15_000_000_000L;
      int committed = committedDocs(dir.resolve("index"));
      while (committed < before + 2 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        committed = committedDocs(dir.resolve("index"));
      }
      assertEquals(before + 2, committed, "answers indexed after the journal's directory went "
          + "must still be committed");
    }
  }

  private static int committedDocs(Path index) throws IOException {
    try (Directory d = FSDirectory.open(index); DirectoryReader r = DirectoryReader.open(d)) {
      return r.numDocs();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> files = Files.walk(p)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
