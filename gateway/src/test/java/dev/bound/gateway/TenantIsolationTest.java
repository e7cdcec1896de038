package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may be served a stored answer: a namespace only subdivides a credential's tenant, and a
 * key the upstream refuses gets the upstream's refusal, never a hit.
 */
class TenantIsolationTest {
  private static final String ANSWER = "{\"id\":\"c1\",\"object\":\"chat.completion\","
      + "\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
      + "\"assistant\",\"content\":\"The answer.\"},\"finish_reason\":\"stop\"}],\"usage\":"
      + "{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";

  /** An upstream that accepts the keys in {@code valid} and counts its /models checks. */
  private static FakeUpstream upstream(Set<String> valid, AtomicInteger checks) {
    return new FakeUpstream(ctx -> {
      String key = String.valueOf(ctx.header("Authorization")).replace("Bearer ", "");
      if (ctx.path().endsWith("/models")) {
        checks.incrementAndGet();
      }
      if (!valid.contains(key)) {
        ctx.status(401).contentType("application/json").result("{\"error\":{\"message\":"
            + "\"Incorrect API key provided.\",\"type\":\"invalid_request_error\",\"param\":null,"
            + "\"code\":\"invalid_api_key\"}}");
      } else if (ctx.path().endsWith("/models")) {
        ctx.contentType("application/json").result("{\"object\":\"list\",\"data\":[]}");
      } else {
        ctx.contentType("application/json").result(ANSWER);
      }
    });
  }

  @Test
  void namespaceAlone_neverOpensAnotherCredentialsAnswers(@TempDir Path data) throws Exception {
    Set<String> valid = ConcurrentHashMap.newKeySet();
    valid.add("sk-team-a");
    try (FakeUpstream up = upstream(valid, new AtomicInteger());
        Harness h = new Harness(data, up.url(), Map.of())) {
      String q = Harness.ask("What is our refund policy?");
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", q,
          "Authorization", "Bearer sk-team-a", "X-Bound-Namespace", "team-a")));
      h.gateway.awaitIndexed();
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions", q,
          "Authorization", "Bearer sk-team-a", "X-Bound-Namespace", "team-a")));
      // The same namespace without the key, or with another key, is another tenant.
      HttpResponse<String> noKey = h.post("/chat/completions", q, "X-Bound-Namespace", "team-a");
      assertEquals("MISS", Harness.tier(noKey));
      assertEquals(401, noKey.statusCode());
      HttpResponse<String> otherKey = h.post("/chat/completions", q,
          "Authorization", "Bearer sk-guess", "X-Bound-Namespace", "team-a");
      assertEquals(401, otherKey.statusCode());
      assertEquals("MISS", Harness.tier(otherKey));
    }
  }

  @Test
  void revokedKey_getsTheUpstreamsRefusalInsteadOfAHit(@TempDir Path data) throws Exception {
    Set<String> valid = ConcurrentHashMap.newKeySet();
    valid.add("sk-one");
    AtomicInteger checks = new AtomicInteger();
    MutableClock clock = new MutableClock(); // the key's trust expires when the test says, however slow the machine
    try (FakeUpstream up = upstream(valid, checks);
        Harness h = new Harness(data, up.url(), Map.of("upstream.key-check", "1s"), clock)) {
      String q = Harness.ask("How long is the warranty?");
      assertEquals("MISS", Harness.tier(h.post("/chat/completions", q,
          "Authorization", "Bearer sk-one")));
      h.gateway.awaitIndexed();
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions", q,
          "Authorization", "Bearer sk-one")));
      assertEquals(0, checks.get(), "a key the upstream just accepted is not checked again");

      valid.remove("sk-one");
      clock.advance(Duration.ofMillis(1_200)); // past upstream.key-check: the key must be confirmed again
      HttpResponse<String> revoked = h.post("/chat/completions", q,
          "Authorization", "Bearer sk-one");
      assertEquals(401, revoked.statusCode());
      assertEquals("BYPASS", Harness.tier(revoked));
      assertEquals(1, checks.get());

      valid.add("sk-one");
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions", q,
          "Authorization", "Bearer sk-one")));
      assertEquals(2, checks.get());
    }
  }

  @Test
  void withBoundsOwnUpstreamKey_clientKeysAreNotChecked(@TempDir Path data) throws Exception {
    Set<String> valid = ConcurrentHashMap.newKeySet();
    valid.add("sk-bound");
    AtomicInteger checks = new AtomicInteger();
    try (FakeUpstream up = upstream(valid, checks);
        Harness h = new Harness(data, up.url(), Map.of("upstream.api-key", "sk-bound",
            "upstream.key-check", "1s"))) {
      String q = Harness.ask("Where is the office?");
      h.post("/chat/completions", q, "Authorization", "Bearer anything");
      h.gateway.awaitIndexed();
      Thread.sleep(1_200);
      assertEquals("HIT-EXACT", Harness.tier(h.post("/chat/completions", q,
          "Authorization", "Bearer anything")));
      assertEquals(0, checks.get());
    }
  }
}
