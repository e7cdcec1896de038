package dev.bound.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Serves stored answers only to clients whose key the upstream accepts. A key that got a
 * successful answer from the upstream is trusted for {@code upstream.key-check}; a key not
 * trusted yet is checked with {@code GET /v1/models} before a hit, so a revoked or made-up key
 * is refused as the upstream would refuse it. When Bound sends its own {@code upstream.api-key},
 * the client's key never reaches the upstream and there is nothing to check.
 */
public final class KeyCheck {
  /** What is known of a client's key. */
  public enum Verdict { ACCEPTED, REJECTED, UNKNOWN }

  /**
   * @param rejection the upstream's answer to the check, when it refused the key
   */
  public record Result(Verdict verdict, Upstream.Answer<byte[]> rejection) {}

  private static final Result ACCEPTED = new Result(Verdict.ACCEPTED, null);
  private static final Result UNKNOWN = new Result(Verdict.UNKNOWN, null);

  private final Upstream upstream;
  private final boolean enabled;
  private final Cache<String, Boolean> accepted;

  /** Trust lasts {@code ttl} on {@code clock}, the gateway's, which a test may move by hand. */
  KeyCheck(Upstream upstream, Duration ttl, boolean upstreamHasOwnKey, Clock clock) {
    this.upstream = upstream;
    this.enabled = !ttl.isZero() && !upstreamHasOwnKey;
    this.accepted = Caffeine.newBuilder().maximumSize(100_000)
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .expireAfterWrite(ttl.isZero() ? Duration.ofSeconds(1) : ttl).build();
  }

  /**
   * Whether the client may be served a stored answer: always when it sends no key or checks are
   * off; otherwise when the upstream accepted its key recently or accepts it now. UNKNOWN when
   * the upstream could not say (unreachable, or no {@code /models}); the request then goes
   * upstream, which judges the key itself.
   */
  public Result check(Context ctx) {
    String key = CachePipeline.clientKey(ctx);
    if (!enabled || key == null) {
      return ACCEPTED;
    }
    String id = Json.sha256(key.strip());
    if (accepted.getIfPresent(id) != null) {
      return ACCEPTED;
    }
    Upstream.Answer<byte[]> r;
    try {
      r = upstream.send("GET", upstream.resolve("/models", null), Http.requestHeaders(ctx),
          new byte[0]);
    } catch (ApiException e) {
      return UNKNOWN;
    }
    if (r.statusCode() / 100 == 2) {
      accepted.put(id, Boolean.TRUE);
      return ACCEPTED;
    }
    return r.statusCode() == 401 || r.statusCode() == 403
        ? new Result(Verdict.REJECTED, r) : UNKNOWN;
  }

  /** Notes that the upstream answered this client's request successfully. */
  public void accepted(Context ctx) {
    String key = CachePipeline.clientKey(ctx);
    if (enabled && key != null) {
      accepted.put(Json.sha256(key.strip()), Boolean.TRUE);
    }
  }
}
