package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which key the upstream sees: the client's own by default, or the configured one instead. */
class UpstreamAuthTest {
  private static final String BODY = "{\"model\":\"m\",\"temperature\":1,\"messages\":[{\"role\":"
      + "\"user\",\"content\":\"hi\"}]}";

  @Test
  void clientKey_passesThroughByDefault_orIsReplacedByTheConfiguredKey(@TempDir Path dir)
      throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    try (FakeUpstream up = new FakeUpstream(ctx -> {
      seen.set(ctx.header("Authorization"));
      ctx.contentType("application/json").result("{\"object\":\"list\",\"data\":[]}");
    })) {
      try (Harness h = new Harness(dir.resolve("a"), up.url(), Map.of())) {
        h.post("/chat/completions", BODY, "Authorization", "Bearer sk-client");
        assertEquals("Bearer sk-client", seen.get());
        h.get("/models");
        assertEquals(null, seen.get());
      }
      try (Harness h = new Harness(dir.resolve("b"), up.url(),
          Map.of("upstream.api-key", "sk-gateway"))) {
        h.post("/chat/completions", BODY, "Authorization", "Bearer sk-client");
        assertEquals("Bearer sk-gateway", seen.get());
      }
    }
  }
}
