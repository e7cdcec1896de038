package dev.bound.gateway;

import dev.bound.gateway.protocol.CanonicalRequest;
import dev.bound.gateway.protocol.ChatProtocol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.config.BoundConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachePolicyTest {
  private final CachePolicy policy = new CachePolicy(BoundConfig.defaults().cache());

  private static CanonicalRequest req(String extra, String lastRole) {
    return ChatProtocol.INSTANCE.parse(("{\"model\":\"m\"" + extra + ",\"messages\":[{\"role\":\""
        + lastRole + "\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8)).canonical();
  }

  @Test
  void decide_lowTemperatureLooksUpAndStores() {
    CachePolicy.Decision d = policy.decide(req(",\"temperature\":0.3", "user"), null, null);
    assertTrue(d.lookup() && d.store());
    assertNull(d.reason());
  }

  @Test
  void decide_highTemperatureBypasses() {
    CachePolicy.Decision d = policy.decide(req(",\"temperature\":0.31", "user"), null, null);
    assertEquals(new CachePolicy.Decision(false, false,
        Reason.TEMPERATURE, "temperature 0.31 is above cache.max-temperature 0.3"), d);
  }

  @Test
  void decide_missingTemperatureUsesTheAssumedOne() {
    assertEquals(new CachePolicy.Decision(false, false,
        Reason.TEMPERATURE, "no temperature given (assumed 1.0) is above cache.max-temperature 0.3"),
        policy.decide(req("", "user"), null, null));
    CachePolicy lenient = new CachePolicy(BoundConfig.resolve(
        Map.of("cache.assumed-temperature", "0"), Map.of(), null).cache());
    assertTrue(lenient.decide(req("", "user"), null, null).lookup());
  }

  @Test
  void decide_severalChoicesBypass() {
    assertEquals("n > 1 asks for several different answers",
        policy.decide(req(",\"temperature\":0,\"n\":2", "user"), null, null).reason());
  }

  @Test
  void decide_headers() {
    CanonicalRequest r = req(",\"temperature\":0", "user");
    assertEquals(new CachePolicy.Decision(false, true, Reason.NO_CACHE, "Cache-Control: no-cache"),
        policy.decide(r, "no-cache", null));
    assertEquals(new CachePolicy.Decision(true, false, null, null), policy.decide(r, "no-store", null));
    assertEquals(new CachePolicy.Decision(false, false, Reason.CLIENT_OFF, "X-Bound-Cache: off"),
        policy.decide(r, null, "OFF"));
  }

  @Test
  void decide_lastMessageMustBeTheUsers() {
    assertEquals("the last message is not a user message with text",
        policy.decide(req(",\"temperature\":0", "system"), null, null).reason());
  }

  @Test
  void decide_disabledCacheBypassesEverything() {
    CachePolicy off = new CachePolicy(BoundConfig.resolve(Map.of("cache.enabled", "false"),
        Map.of(), null).cache());
    assertEquals(new CachePolicy.Decision(false, false, Reason.DISABLED, "cache.enabled is false"),
        off.decide(req(",\"temperature\":0", "user"), null, null));
  }
}
