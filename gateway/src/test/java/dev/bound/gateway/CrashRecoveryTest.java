package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.gateway.sim.SimulatedUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers survive the end of the process that served them. Several client threads load {@code
 * bound serve} (a JVM of its own) in front of a fast simulated upstream; the child is killed
 * with SIGKILL at a random moment (2 to 3.5 s after its first answer), or stopped with SIGTERM,
 * and a fresh Bound on the same data directory must answer every question acknowledged before as
 * an exact hit, without asking the upstream. Answers acknowledged more than 1 s before the kill
 * (the promise, which the journal's one-second force would keep even through a power
 * failure) are counted apart from the later ones, which only the page cache holds at the kill;
 * neither may be lost. {@code -Dbound.crash.rounds=N} runs more kill rounds (3 by default),
 * {@code -Dbound.crash.seed=S} draws other kill moments, and {@code -Dbound.crash.load-ms=M}
 * loads the child for M to M + 1.5 s before each kill instead, so that a long load builds a
 * backlog of answers not yet indexed.
 */
class CrashRecoveryTest {
  private static final int CLIENTS = 8;
  /** The default storage.journal-flush. */
  private static final long MARGIN_NANOS = 1_000_000_000L;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();

  /** Distinct questions asked by several threads; records when each MISS was acknowledged. */
  private final class Load implements AutoCloseable {
    final Map<String, Long> acked = new ConcurrentHashMap<>();
    /** Counted down by the first answer: a cold child takes a while to warm up. */
    final CountDownLatch first = new CountDownLatch(1);
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
    private final List<Future<?>> running = new ArrayList<>();

    Load(URI v1, String tag) {
      AtomicInteger next = new AtomicInteger();
      for (int t = 0; t < CLIENTS; t++) {
        running.add(threads.submit(() -> {
          while (!stop.get()) {
            String q = question(tag, next.getAndIncrement());
            try {
              HttpResponse<String> r = ask(v1, q);
              if (r.statusCode() == 200 && Harness.tier(r).equals("MISS")) {
                acked.put(q, System.nanoTime()); // the whole response has arrived
                first.countDown();
              }
            } catch (Exception e) {
              return; // the server went away
            }
          }
        }));
      }
    }

    /** Stops asking and waits for the answers in flight. */
    @Override
    public void close() throws Exception {
      stop.set(true);
      for (Future<?> f : running) {
        f.get();
      }
      threads.shutdown();
    }
  }

  /** Words that make the questions far apart, so that each is a miss the first time. */
  private static final String[] WORDS = ("harbour violin glacier pepper lantern orbit tulip "
      + "granite falcon velvet compass meadow thunder saffron quartz maple canyon ribbon "
      + "pioneer walnut beacon cactus marble nectar").split(" ");

  static String question(String tag, int i) {
    int n = WORDS.length;
    return "In " + tag + " case " + i + ", how does the " + WORDS[i % n] + " relate to the "
        + WORDS[(i / n) % n] + " and the " + WORDS[(i / (n * n)) % n] + "?";
  }

  private HttpResponse<String> ask(URI v1, String question) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(v1 + "/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Harness.ask(question))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The questions not answered as exact hits now, asked by several threads. */
  private List<String> lost(URI v1, List<String> questions) throws Exception {
    List<String> lost = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (String q : questions) {
        all.add(pool.submit(() -> {
          HttpResponse<String> r = ask(v1, q);
          if (r.statusCode() != 200 || !Harness.tier(r).equals("HIT-EXACT")) {
            lost.add(q);
          }
          return null;
        }));
      }
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return lost;
  }

  private long backlog(ServeProcess bound) throws Exception {
    String metrics = http.send(HttpRequest.newBuilder(bound.root("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines().filter(l -> l.startsWith("bound_index_backlog "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .findFirst().orElseThrow();
  }

  /** How many answers the start-up replay of the journal indexed, from the child's log. */
  private static long replayed(ServeProcess bound) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("Replayed the answer journal: (\\d+) answers indexed").matcher(bound.output);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void kill9UnderLoad_losesNoAcknowledgedAnswer(@TempDir Path dir) throws Exception {
    int rounds = Integer.getInteger("bound.crash.rounds", 3);
    Random random = new Random(Long.getLong("bound.crash.seed", 20_260_101L));
    long loadFrom = Long.getLong("bound.crash.load-ms", 2_000L);
    long total = 0;
    long eligible = 0;
    long lostEligible = 0;
    long lostWithinMargin = 0;
    long replayed = 0;
    try (SimulatedUpstream up = Harness.fastUpstream()) {
      ServeProcess bound = new ServeProcess(dir, up.url(), "--log-decisions", "false");
      for (int round = 1; round <= rounds; round++) {
        // The kill comes 2 to 3.5 s after the first answer, so some answers are always old enough.
        long loadMillis = loadFrom + random.nextInt(1_500);
        Load load = new Load(bound.v1, "round " + round);
        assertTrue(load.first.await(60, TimeUnit.SECONDS), "no answer");
        Thread.sleep(loadMillis);
        long backlog = backlog(bound);
        long killed = System.nanoTime();
        bound.kill();
        load.close();

        List<String> old = new ArrayList<>();
        List<String> recent = new ArrayList<>();
        load.acked.forEach((q, at) -> (at < killed - MARGIN_NANOS ? old : recent).add(q));
        bound = new ServeProcess(dir, up.url(), "--log-decisions", "false");
        long fromJournal = replayed(bound);
        long calls = up.calls();
        List<String> lostOld = lost(bound.v1, old);
        List<String> lostRecent = lost(bound.v1, recent);
        assertEquals(lostOld.size() + lostRecent.size(), up.calls() - calls,
            "only the lost questions may reach the upstream");
        System.out.printf("round %d: killed %d ms after the first answer with a backlog of %d; "
            + "%d answers acknowledged, %d more than 1 s before the kill: %d lost; of the later "
            + "ones %d lost; %d replayed from the journal%n", round, loadMillis, backlog,
            load.acked.size(), old.size(), lostOld.size(), lostRecent.size(), fromJournal);
        assertTrue(old.size() > 0, "round " + round + " acknowledged nothing in time");
        assertEquals(List.of(), lostOld, "round " + round);
        assertEquals(List.of(), lostRecent, "round " + round + ", acknowledged within 1 s");
        total += load.acked.size();
        eligible += old.size();
        lostEligible += lostOld.size();
        lostWithinMargin += lostRecent.size();
        replayed += fromJournal;
      }
      bound.stop();
    }
    System.out.printf("%d kill rounds: %d answers acknowledged, %d more than 1 s before "
        + "the kill, %d of them lost (%d lost of those acknowledged later); %d answers "
        + "replayed from the journal%n", rounds, total, eligible, lostEligible, lostWithinMargin,
        replayed);
    assertTrue(replayed > 0, "no kill left anything in the journal; the test proves nothing");
  }

  @Test
  void sigtermAfterLoad_losesNoAnswer(@TempDir Path dir) throws Exception {
    try (SimulatedUpstream up = Harness.fastUpstream()) {
      ServeProcess bound = new ServeProcess(dir, up.url(), "--log-decisions", "false");
      Load load = new Load(bound.v1, "sigterm");
      assertTrue(load.first.await(60, TimeUnit.SECONDS), "no answer");
      Thread.sleep(2_000);
      load.close();
      long backlog = backlog(bound);
      bound.stop();

      bound = new ServeProcess(dir, up.url(), "--log-decisions", "false");
      assertEquals(0, replayed(bound), "the stop indexed and committed the queue itself");
      List<String> asked = new ArrayList<>(load.acked.keySet());
      long calls = up.calls();
      List<String> lost = lost(bound.v1, asked);
      System.out.printf("SIGTERM with a backlog of %d: %d answers acknowledged, %d lost%n",
          backlog, asked.size(), lost.size());
      assertTrue(asked.size() > 0);
      assertEquals(List.of(), lost);
      assertEquals(calls, up.calls());
      bound.stop();
    }
  }
}
