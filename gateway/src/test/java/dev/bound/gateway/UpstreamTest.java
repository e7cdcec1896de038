package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.bound.config.BoundConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream client on its own: connections kept for the next call, and bodies cut off. */
class UpstreamTest {
  private static final byte[] ANSWER = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private ScheduledExecutorService timers;
  private Upstream upstream;
  /** The client ports the server saw: one per connection Bound opened. */
  private final Set<Integer> connections = ConcurrentHashMap.newKeySet();
  /** Released by the test; a /slow answer promises a body and waits for this to end it. */
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/fast", ex -> {
      connections.add(ex.getRemoteAddress().getPort());
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(200, ANSWER.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(ANSWER);
      }
    });
    server.createContext("/v1/slow", ex -> {
      connections.add(ex.getRemoteAddress().getPort());
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(200, 1000);
      OutputStream out = ex.getResponseBody();
      out.write(new byte[10]);
      out.flush();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // /slow must not hold /fast
    server.start();
    timers = Background.scheduler("upstream-test-timers");
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    upstream = new Upstream(new BoundConfig.Upstream(url, "", Duration.ofSeconds(10),
        Duration.ofSeconds(5), Duration.ofMinutes(1)), timers);
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    timers.shutdownNow();
  }

  private static Map<String, List<String>> json() {
    return Map.of("Content-Type", List.of("application/json"));
  }

  @Test
  void callsOneAfterAnother_reuseOneConnection() throws Exception {
    URI fast = upstream.resolve("/fast", null);
    for (int i = 0; i < 3; i++) {
      Upstream.Answer<byte[]> whole = upstream.send("POST", fast, json(), ANSWER);
      assertEquals(200, whole.statusCode());
      assertArrayEquals(ANSWER, whole.body());
      Upstream.Answer<InputStream> opened = upstream.open("POST", fast, json(), ANSWER);
      try (InputStream in = opened.body()) {
        assertArrayEquals(ANSWER, in.readAllBytes());
      }
      Upstream.Answer<InputStream> started =
          upstream.start("POST", fast, json(), ANSWER, false).execute();
      assertArrayEquals(ANSWER, started.body().readAllBytes());
      assertEquals(String.valueOf(ANSWER.length),
          started.headers().firstValue("Content-Length").orElse(null));
    }
    assertEquals(1, connections.size(), "connections opened: " + connections);
  }

  /**
   * Closing a body before its end, from another thread, ends a read blocked on it at once, and
   * the half-read connection is not used again.
   */
  @Test
  void aBodyClosedBeforeItsEnd_failsTheBlockedRead_andItsConnectionIsNotReused()
      throws Exception {
    Upstream.Answer<InputStream> r = upstream.open("POST", upstream.resolve("/slow", null),
        json(), ANSWER);
    InputStream body = r.body();
    Thread closer = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(200);
        body.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long t0 = System.nanoTime();
    assertThrows(java.io.IOException.class, () -> body.readNBytes(1000));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    closer.join();
    assertTrue(ms < 5_000, "the read ended " + ms + " ms after it began");
    Upstream.Answer<byte[]> next = upstream.send("POST", upstream.resolve("/fast", null), json(),
        ANSWER);
    assertArrayEquals(ANSWER, next.body());
    assertEquals(2, connections.size(), "connections opened: " + connections);
  }
}
