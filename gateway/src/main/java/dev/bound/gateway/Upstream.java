package dev.bound.gateway;

import dev.bound.config.BoundConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The OpenAI-compatible endpoint behind Bound, reached over HTTP. */
public final class Upstream {
  /** Request headers that describe one hop, or that Bound sets itself, and so are not forwarded. */
  private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "keep-alive",
      "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
      "transfer-encoding", "upgrade", "content-length", "expect", "accept-encoding",
      "http2-settings");

  private final URI base;
  private final String apiKey;
  private final BoundConfig.Upstream cfg;
  private final HttpClient client;

  Upstream(BoundConfig.Upstream cfg) {
    this.cfg = cfg;
    String b = cfg.url().toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.apiKey = cfg.apiKey();
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(cfg.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  URI base() {
    return base;
  }

  /**
   * The upstream URI for a path under Bound's {@code /v1}; the base already ends in the
   * upstream's own version prefix, as an SDK base URL does.
   */
  public URI resolve(String pathAfterV1, String query) {
    try {
      return URI.create(base + pathAfterV1
          + (query == null || query.isEmpty() ? "" : "?" + query));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("The request's path or query is not a valid URI.", null,
          "invalid_path");
    }
  }

  public HttpResponse<byte[]> send(String method, URI uri, Map<String, List<String>> headers,
      byte[] body) {
    return send(method, uri, headers, body, false);
  }

  /**
   * Sends a request and reads the whole answer, headers and body, within upstream.timeout: an
   * upstream that sends its headers at once and then drips its body is cut off with a 504 and
   * its connection closed, rather than holding the caller (a client, the dreamer, a document
   * recompute) for as long as it likes.
   *
   * @param keyInXApiKey whether the configured key goes in {@code x-api-key}, as Anthropic's API
   *     takes it, instead of a bearer token
   */
  HttpResponse<byte[]> send(String method, URI uri, Map<String, List<String>> headers,
      byte[] body, boolean keyInXApiKey) {
    CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(
        request(method, uri, headers, body, keyInXApiKey),
        HttpResponse.BodyHandlers.ofByteArray());
    try {
      return pending.get(cfg.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true); // closes the connection, so the upstream stops too
      throw ApiException.upstreamTimeout(timeoutMessage(uri));
    } catch (ExecutionException e) {
      throw failure(e.getCause(), uri);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("Bound is shutting down.");
    }
  }

  public HttpResponse<InputStream> open(String method, URI uri, Map<String, List<String>> headers,
      byte[] body) {
    return open(method, uri, headers, body, false);
  }

  /**
   * Sends a request and returns as soon as the answer's headers are in; upstream.timeout bounds
   * only the wait for them, so a large download passed through is not cut off.
   */
  HttpResponse<InputStream> open(String method, URI uri, Map<String, List<String>> headers,
      byte[] body, boolean keyInXApiKey) {
    try {
      return client.send(request(method, uri, headers, body, keyInXApiKey),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw failure(e, uri);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("Bound is shutting down.");
    }
  }

  /**
   * Sends a request without waiting: the answer's headers complete the future, and its body is
   * read from the stream. Cancelling the future, or closing the stream, ends the exchange.
   * Failures are turned into what the client is told by {@link #failure}.
   */
  CompletableFuture<HttpResponse<InputStream>> start(String method, URI uri,
      Map<String, List<String>> headers, byte[] body, boolean keyInXApiKey) {
    return client.sendAsync(request(method, uri, headers, body, keyInXApiKey),
        HttpResponse.BodyHandlers.ofInputStream());
  }

  /** What the client is told when the upstream call to {@code uri} failed with {@code e}. */
  ApiException failure(Throwable e, URI uri) {
    return switch (e) {
      case HttpConnectTimeoutException t -> ApiException.upstreamTimeout("The upstream at "
          + hostOf(uri) + " did not accept a connection within upstream.connect-timeout ("
          + cfg.connectTimeout().toMillis() + " ms).");
      case HttpTimeoutException t -> ApiException.upstreamTimeout(timeoutMessage(uri));
      case ConnectException c -> ApiException.upstreamUnreachable("The upstream at "
          + hostOf(uri) + " is unreachable (connection refused or no route).");
      case ApiException a -> a;
      default -> ApiException.upstreamUnreachable("The connection to the upstream at "
          + hostOf(uri) + " failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    };
  }

  /** The message of a 504 for a call to {@code uri} that ran past upstream.timeout. */
  String timeoutMessage(URI uri) {
    return "The upstream at " + hostOf(uri) + " did not answer within upstream.timeout ("
        + cfg.timeout().toMillis() + " ms).";
  }

  private HttpRequest request(String method, URI uri, Map<String, List<String>> headers,
      byte[] body, boolean keyInXApiKey) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(cfg.timeout());
    headers.forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      boolean clientKey = lower.equals("authorization") || lower.equals("x-api-key");
      if (NOT_FORWARDED.contains(lower) || lower.startsWith("x-bound-")
          || (clientKey && !apiKey.isEmpty())) {
        return;
      }
      try {
        values.forEach(v -> rb.header(name, v));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid("The header " + name + " cannot be forwarded: "
            + e.getMessage(), name, "invalid_header");
      }
    });
    if (!apiKey.isEmpty()) {
      if (keyInXApiKey) {
        rb.header("x-api-key", apiKey);
      } else {
        rb.header("Authorization", "Bearer " + apiKey);
      }
    }
    HttpRequest.BodyPublisher publisher = body.length == 0
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
    rb.method(method, publisher);
    return rb.build();
  }

  private static String hostOf(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority();
  }
}
