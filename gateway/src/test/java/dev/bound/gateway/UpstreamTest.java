package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bound.config.BoundConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream client on its own: connections kept for the next call, and bodies cut off. */
class UpstreamTest {
  private static final byte[] ANSWER = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private Upstream upstream;
  /** The client ports the server saw: one per connection Bound opened. */
  private final Set<Integer> connections = ConcurrentHashMap.newKeySet();
  /** Released by the test; a /slow answer promises a body and waits for this to end it. */
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    answer("/v1/fast", ex -> ANSWER);
    // The JDK's server reads header bytes one per character; sent back the same way.
    answer("/v1/echo-header", ex -> String.valueOf(ex.getRequestHeaders().getFirst("X-Title"))
        .getBytes(StandardCharsets.ISO_8859_1));
    server.createContext("/v1/slow", ex -> {
      connections.add(ex.getRemoteAddress().getPort());
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(200, 1000);
      OutputStream out = ex.getResponseBody();
      out.write(new byte[10]); // a first piece: the JDK's server holds the headers until then
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
    upstream = upstreamAt(server.getAddress().getPort());
  }

  /** Answers {@code path} with the bytes {@code body} makes, noting the connection. */
  private void answer(String path, Function<HttpExchange, byte[]> body) {
    server.createContext(path, ex -> {
      connections.add(ex.getRemoteAddress().getPort());
      ex.getRequestBody().readAllBytes();
      byte[] b = body.apply(ex);
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    });
  }

  private static Upstream upstreamAt(int port) {
    URI url = URI.create("http://127.0.0.1:" + port + "/v1");
    return new Upstream(new BoundConfig.Upstream(url, "", Duration.ofSeconds(10),
        Duration.ofSeconds(5), Duration.ofMinutes(1)));
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    upstream.close();
  }

  private static Map<String, List<String>> json() {
    return Map.of("Content-Type", List.of("application/json"));
  }

  @Test
  void libraryMessages_reachClientsWithoutControlCharactersAndCut() {
    assertEquals("Unexpected status line: ??GARBAGE",
        Upstream.printable("Unexpected status line: \u0000\u0001GARBAGE"));
    assertEquals(161, Upstream.printable("x".repeat(500)).length());
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
    CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
      try {
        Thread.sleep(200);
        body.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long t0 = System.nanoTime();
    assertThrows(IOException.class, () -> body.readNBytes(1000));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    closed.get(5, TimeUnit.SECONDS);
    assertTrue(ms < 5_000, "the read ended " + ms + " ms after it began");
    Upstream.Answer<byte[]> next = upstream.send("POST", upstream.resolve("/fast", null), json(),
        ANSWER);
    assertArrayEquals(ANSWER, next.body());
    assertEquals(2, connections.size(), "connections opened: " + connections);
  }

  /** A header value beyond ASCII is passed on, as the JDK's client passed it, not refused. */
  @Test
  void aHeaderBeyondAscii_isPassedOn() {
    Upstream.Answer<byte[]> r = upstream.send("POST", upstream.resolve("/echo-header", null),
        Map.of("X-Title", List.of("caf\u00e9 r\u00e9sum\u00e9")), ANSWER);
    assertEquals(200, r.statusCode());
    // OkHttp writes it as UTF-8.
    assertEquals("caf\u00e9 r\u00e9sum\u00e9",
        new String(r.body(), StandardCharsets.UTF_8));
    ApiException bad = assertThrows(ApiException.class, () -> upstream.send("POST",
        upstream.resolve("/echo-header", null), Map.of("X-Title", List.of("a\rb")), ANSWER));
    assertEquals("invalid_header", bad.code);
  }

  /**
   * A request whose kept-alive connection breaks after it was sent is not sent again on a new
   * one: the upstream may have generated (and billed) the answer already. The client gets a 502.
   */
  @Test
  void aRequestWhoseConnectionBreaks_isNotSentAgain() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        while (!listener.isClosed()) {
          try {
            Socket s = listener.accept();
            Thread.ofVirtual().start(() -> answerOnceThenDrop(s, requests));
          } catch (IOException e) {
            return;
          }
        }
      });
      Upstream own = upstreamAt(listener.getLocalPort());
      try {
        URI uri = own.resolve("/chat/completions", null);
        assertArrayEquals(ANSWER, own.send("POST", uri, json(), ANSWER).body());
        ApiException e = assertThrows(ApiException.class,
            () -> own.send("POST", uri, json(), ANSWER));
        assertEquals(502, e.status);
        Thread.sleep(300); // a resend would arrive by now
        assertEquals(2, requests.get(), "requests the upstream received");
      } finally {
        own.close();
      }
    }
  }

  /** Answers the first request on a connection, reads the second and closes without a word. */
  private static void answerOnceThenDrop(Socket s, AtomicInteger requests) {
    try (s) {
      InputStream in = s.getInputStream();
      for (int i = 0; ; i++) {
        int length = readHead(in);
        if (length < 0) {
          return;
        }
        in.readNBytes(length);
        requests.incrementAndGet();
        if (i > 0) {
          return; // the connection closes with the request unanswered
        }
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + ANSWER.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(ANSWER);
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  /** Reads a request's head; returns its Content-Length, or -1 at the end of the stream. */
  private static int readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
          if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).strip());
          }
        }
        return length;
      }
    }
    return -1;
  }
}
