package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop (SIGTERM, Ctrl-C, {@link Gateway#close()}) lets the requests already running finish:
 * the listener closes at once, an idle connection is closed (or its next request refused with a
 * 503 {@code shutting_down}), and a whole answer and a streamed one that are still on their way
 * from the upstream reach their clients complete and are stored for the next start.
 */
class GracefulStopTest {

  @Test
  void stop_letsRunningRequestsFinish(@TempDir Path dir) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger waiting = new AtomicInteger();
    FakeUpstream.Script script = ctx -> {
      boolean stream = ctx.body().contains("\"stream\":true");
      waiting.incrementAndGet();
      if (!stream) {
        assertTrue(release.await(30, TimeUnit.SECONDS));
        FakeUpstream.answerAs(ctx, "fake"); // the model the chunks name
        return;
      }
      OutputStream out = FakeUpstream.sse(ctx);
      FakeUpstream.event(out, FakeUpstream.chunk("Rivers ", null));
      assertTrue(release.await(30, TimeUnit.SECONDS));
      FakeUpstream.event(out, FakeUpstream.chunk("run to the sea.", null));
      FakeUpstream.event(out, FakeUpstream.chunk(null, "stop"));
      FakeUpstream.event(out, "[DONE]");
    };
    String whole = Harness.ask("How many moons does Mars have?");
    String streamed = Harness.ask("Where do rivers go?").replace("\"temperature\":0",
        "\"temperature\":0,\"stream\":true");
    try (FakeUpstream up = new FakeUpstream(script)) {
      Harness h = new Harness(dir, up.url(), Map.of());
      int port = h.gateway.port();
      CompletableFuture<HttpResponse<String>> a = CompletableFuture.supplyAsync(() -> send(h, whole));
      CompletableFuture<HttpResponse<String>> b =
          CompletableFuture.supplyAsync(() -> send(h, streamed));
      waitFor(() -> waiting.get() == 2);
      Socket kept = new Socket("127.0.0.1", port); // a client's idle keep-alive connection
      assertTrue(exchange(kept).startsWith("HTTP/1.1 200"));
      CompletableFuture<Void> stopped = CompletableFuture.runAsync(h::close);
      // The listener goes first: a new connection is refused while the two are still running.
      waitFor(() -> !accepts(port));
      assertTrue(!a.isDone() && !b.isDone() && !stopped.isDone());
      // ... is closed by the stop, or, if another request on it comes first, told to go elsewhere.
      String refused = exchange(kept);
      assertTrue(refused.equals("EOF") || refused.startsWith("HTTP/1.1 503")
          && refused.contains("Connection: close")
          && refused.contains("\"code\":\"shutting_down\""), refused);
      release.countDown();

      HttpResponse<String> ra = a.get(30, TimeUnit.SECONDS);
      assertEquals(200, ra.statusCode(), ra.body());
      assertTrue(ra.body().contains("The fake answer to How many moons"), ra.body());
      HttpResponse<String> rb = b.get(30, TimeUnit.SECONDS);
      assertEquals(200, rb.statusCode(), rb.body());
      assertTrue(rb.body().contains("run to the sea.") && rb.body().contains("[DONE]"), rb.body());
      stopped.get(30, TimeUnit.SECONDS);
      assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close());

      // Both answers were kept: the next start serves them without asking the upstream again.
      int asked = up.calls.get();
      try (Harness again = new Harness(dir, up.url(), Map.of())) {
        HttpResponse<String> ra2 = again.post("/chat/completions", whole);
        assertEquals("HIT-EXACT", Harness.tier(ra2), ra2.body());
        HttpResponse<String> rb2 = again.post("/chat/completions", streamed);
        assertEquals("HIT-EXACT", Harness.tier(rb2), rb2.body());
        assertTrue(rb2.body().contains("{\"content\":\"Rivers\"}")
            && rb2.body().contains("{\"content\":\" sea.\"}"), rb2.body());
      }
      assertEquals(asked, up.calls.get());
    }
  }

  private static HttpResponse<String> send(Harness h, String body) {
    try {
      return h.post("/chat/completions", body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String exchange(Socket s) {
    try {
      s.setSoTimeout(5000);
      s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] buf = new byte[4096];
      int n = s.getInputStream().read(buf);
      return n < 0 ? "EOF" : new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < until, "timed out");
      Thread.sleep(10);
    }
  }
}
