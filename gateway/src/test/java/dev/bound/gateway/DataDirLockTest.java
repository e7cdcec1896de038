package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.gateway.sim.SimulatedUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One Bound per data directory. With shared storage nothing locked the directory until the
 * document store, so a second instance first read, and on its way out tidied, the running one's
 * answer journal, and then failed naming the document store rather than Bound.
 */
class DataDirLockTest {
  @TempDir
  static Path dir;

  /** Shared storage on a SolrCloud that is not there: Bound starts and journals its answers. */
  private static Map<String, String> settings(String backend) {
    return backend.equals("solr")
        ? Map.of("storage.backend", "solr", "storage.solr.urls", "http://127.0.0.1:9/solr")
        : Map.of();
  }

  @ParameterizedTest
  @ValueSource(strings = {"solr", "embedded"})
  void aSecondInstance_isRefusedBeforeItReadsAnything_andTheFirstKeepsItsAnswers(String backend)
      throws Exception {
    Path data = dir.resolve(backend);
    try (SimulatedUpstream upstream = Harness.fastUpstream()) {
      try (Harness first = new Harness(data, upstream.url(), settings(backend))) {
        assertEquals(200, first.post("/chat/completions",
            Harness.ask("Why is the sky blue?")).statusCode());
        first.gateway.awaitIdle();
        List<String> journal = listing(data.resolve("journal"));

        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> new Harness(data, upstream.url(), settings(backend)).close());
        assertEquals("the data directory " + data + " is in use by another Bound (it holds "
            + "bound.lock): stop that one, or point this one at another directory with --data",
            e.getMessage());
        if (backend.equals("solr")) { // with Solr away, the first instance releases nothing
          assertEquals(journal, listing(data.resolve("journal")));
        }
        var again = first.post("/chat/completions", Harness.ask("Why is the sky blue?"));
        assertEquals(200, again.statusCode());
        assertEquals("HIT-EXACT", Harness.tier(again));
      }
      // closed, it lets the directory go, and the next instance has the answer
      try (Harness next = new Harness(data, upstream.url(), settings(backend))) {
        assertEquals("HIT-EXACT", Harness.tier(next.post("/chat/completions",
            Harness.ask("Why is the sky blue?"))));
      }
    }
  }

  /** Each journal file with its size and time of last change. */
  private static List<String> listing(Path journal) throws Exception {
    try (Stream<Path> files = Files.list(journal)) {
      return files.sorted().map(f -> {
        try {
          return f.getFileName() + " " + Files.size(f) + " " + Files.getLastModifiedTime(f);
        } catch (java.io.IOException x) {
          throw new java.io.UncheckedIOException(x);
        }
      }).toList();
    }
  }
}
