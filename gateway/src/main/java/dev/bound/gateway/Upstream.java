package dev.bound.gateway;

import dev.bound.config.BoundConfig;
import dev.bound.gateway.admin.AdminAuth;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The OpenAI-compatible endpoint behind Bound, reached over HTTP with OkHttp. A call runs on the
 * thread that asks for it, usually the request's own virtual thread, so that the answer's
 * arrival wakes that thread and nothing else; the JDK's client handed each response through its
 * selector and executor threads first, which cost a miss about a millisecond on this machine
 * (gateway/PERFORMANCE.md). Past the connect timeout, deadlines are Bound's own timer cancelling
 * the call, which closes its connection; OkHttp's read, write and call timeouts are off.
 *
 * <p>A request is sent once: OkHttp's retry on a failed connection is off, because a completion
 * whose connection broke after it was sent may have been generated, and billed, already (the JDK's
 * client did not resend a POST either, nor does nginx). Idle connections are therefore kept only
 * {@value #KEEP_ALIVE_SECONDS} s, below the idle timeouts of common servers (uvicorn, and so vLLM,
 * closes after 5 s), so that a connection the server has closed is seldom used again.
 */
public final class Upstream implements AutoCloseable {
  /** A Cookie header's value without the cookie {@code name}; empty when nothing else is left. */
  static String withoutCookie(String header, String name) {
    StringBuilder kept = new StringBuilder();
    for (String pair : header.split(";")) {
      String p = pair.strip();
      if (!p.isEmpty() && !p.startsWith(name + "=") && !p.equals(name)) {
        kept.append(kept.isEmpty() ? "" : "; ").append(p);
      }
    }
    return kept.toString();
  }

  /** Request headers that describe one hop, or that Bound sets itself, and so are not forwarded. */
  private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "keep-alive",
      "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
      "transfer-encoding", "upgrade", "content-length", "expect", "accept-encoding",
      "http2-settings");
  /**
   * Idle connections kept open to the upstream, enough for a burst of concurrent misses to find
   * theirs again (OkHttp's default keeps 5).
   */
  static final int IDLE_CONNECTIONS = 256;
  /** How long an idle connection is kept for the next call. */
  static final int KEEP_ALIVE_SECONDS = 4;

  /** An upstream's answer: its status, headers and body. */
  public record Answer<T>(int statusCode, HttpHeaders headers, T body) {}

  private final URI base;
  private final String apiKey;
  private final BoundConfig.Upstream cfg;
  private final OkHttpClient client;
  private final ScheduledExecutorService timers;

  /**
   * @throws IllegalStateException when the configured key cannot go in a header
   */
  Upstream(BoundConfig.Upstream cfg) {
    this.cfg = cfg;
    String b = cfg.url().toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.apiKey = cfg.apiKey();
    if (!headerValue(apiKey)) {
      throw new IllegalStateException("upstream.api-key holds a control character (a line "
          + "break?), so it cannot be sent in a header; set it without one");
    }
    this.timers = Background.scheduler("bound-upstream-deadlines");
    this.client = new OkHttpClient.Builder()
        .protocols(List.of(okhttp3.Protocol.HTTP_1_1))
        .connectTimeout(cfg.connectTimeout())
        .readTimeout(Duration.ZERO)
        .writeTimeout(Duration.ZERO)
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false)
        .connectionPool(new ConnectionPool(IDLE_CONNECTIONS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS))
        .build();
  }

  /** Stops the deadline timer and closes the idle connections; last, after every caller. */
  @Override
  public void close() {
    Background.stop(timers, Duration.ofSeconds(5), "the upstream's deadlines");
    client.connectionPool().evictAll();
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

  public Answer<byte[]> send(String method, URI uri, Map<String, List<String>> headers,
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
  Answer<byte[]> send(String method, URI uri, Map<String, List<String>> headers,
      byte[] body, boolean keyInXApiKey) {
    Call call = client.newCall(request(method, uri, headers, body, keyInXApiKey));
    Deadline d = new Deadline(call, cfg.timeout());
    try (Response r = call.execute()) {
      okio.BufferedSource source = r.body().source();
      if (source.request(MAX_WHOLE_BYTES + 1)) {
        d.stop();
        call.cancel();
        throw ApiException.upstreamError("The upstream's answer is larger than "
            + (MAX_WHOLE_BYTES >> 20) + " MiB, more than Bound reads into memory on this path; "
            + "ask for less at a time (fewer inputs, a shorter answer).",
            "upstream_answer_too_large");
      }
      Answer<byte[]> a = new Answer<>(r.code(), headers(r), source.readByteArray());
      d.stop(); // the whole answer is in: if the time ran out meanwhile, it was not needed
      return a;
    } catch (IOException e) {
      throw d.failed(e, uri);
    }
  }

  /**
   * The most a whole answer read into memory may hold: an embeddings answer for 2,048 inputs of
   * 3,072 dimensions is about 75 MB as JSON. A larger one was read whole, and one of 920 MB ran
   * the heap out.
   */
  static final long MAX_WHOLE_BYTES = 128L << 20;

  public Answer<InputStream> open(String method, URI uri, Map<String, List<String>> headers,
      byte[] body) {
    return open(method, uri, headers, body, false);
  }

  /**
   * Sends a request and returns as soon as the answer's headers are in; upstream.timeout bounds
   * only the wait for them, so a large download passed through is not cut off. Closing the body
   * before its end closes the connection.
   */
  Answer<InputStream> open(String method, URI uri, Map<String, List<String>> headers,
      byte[] body, boolean keyInXApiKey) {
    PendingCall call = start(method, uri, headers, body, keyInXApiKey);
    Deadline d = new Deadline(call.call, cfg.timeout());
    Answer<InputStream> a;
    try {
      a = call.execute();
    } catch (IOException e) {
      throw d.failed(e, uri);
    }
    if (!d.stop()) {
      UpstreamWatch.closeQuietly(a.body());
      throw ApiException.upstreamTimeout(timeoutMessage(uri));
    }
    return a;
  }

  /**
   * A request made ready but not yet sent: {@link PendingCall#execute} sends it and waits for the
   * answer's headers on the calling thread, and {@link PendingCall#cancel}, from any thread,
   * ends the exchange and closes its connection, so that a read blocked on its body fails at
   * once. Failures are turned into what the client is told by {@link #failure}.
   */
  PendingCall start(String method, URI uri, Map<String, List<String>> headers, byte[] body,
      boolean keyInXApiKey) {
    return new PendingCall(client.newCall(request(method, uri, headers, body, keyInXApiKey)));
  }

  /** One upstream exchange; see {@link #start}. */
  static final class PendingCall {
    private final Call call;

    private PendingCall(Call call) {
      this.call = call;
    }

    /** Sends the request and returns once the answer's headers are in. */
    Answer<InputStream> execute() throws IOException {
      Response r = call.execute();
      try {
        return new Answer<>(r.code(), headers(r), new Body(call, r.body().byteStream()));
      } catch (RuntimeException e) {
        r.close();
        throw e;
      }
    }

    /** Ends the exchange; safe from any thread, at any time, more than once. */
    void cancel() {
      call.cancel();
    }
  }

  /** What the client is told when the upstream call to {@code uri} failed with {@code e}. */
  ApiException failure(Throwable e, URI uri) {
    if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
        || Thread.currentThread().isInterrupted()) {
      Thread.currentThread().interrupt();
      return ApiException.unavailable("Bound is shutting down.");
    }
    return switch (e) {
      // No read or write timeout is set, so a socket timeout is the connect timeout.
      case SocketTimeoutException t -> ApiException.upstreamTimeout("The upstream at "
          + hostOf(uri) + " did not accept a connection within upstream.connect-timeout ("
          + cfg.connectTimeout().toMillis() + " ms).");
      case ConnectException c -> ApiException.upstreamUnreachable("The upstream at "
          + hostOf(uri) + " is unreachable (connection refused or no route).");
      case ApiException a -> a;
      case java.net.ProtocolException p when truncated(p) -> truncatedAnswer();
      default -> ApiException.upstreamUnreachable("The connection to the upstream at "
          + hostOf(uri) + " failed" + (e.getMessage() == null ? "." : ": "
          + printable(e.getMessage()) + (e instanceof java.net.ProtocolException
              ? " (not an HTTP answer)" : "")));
    };
  }

  /**
   * Whether a read failed because the body ended before the length its {@code Content-Length}
   * (or its chunked framing) announced: OkHttp's body sources say so in these words, while a
   * connection that ends before the headers gets another message.
   */
  static boolean truncated(Throwable e) {
    return e instanceof java.net.ProtocolException
        && "unexpected end of stream".equals(e.getMessage());
  }

  /** What the client is told of an answer whose body ended early (a 502). */
  static ApiException truncatedAnswer() {
    return ApiException.upstreamError("The upstream's answer is truncated: its connection "
        + "closed before the whole body its Content-Length announced had arrived.",
        "upstream_answer_truncated");
  }

  /**
   * A library's message fit for a client: no control characters (an upstream's garbage bytes
   * quoted back), at most 160 characters.
   */
  static String printable(String message) {
    String m = message.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
    return m.length() > 160 ? m.substring(0, 160) + "…" : m;
  }

  /** The message of a 504 for a call to {@code uri} that ran past upstream.timeout. */
  String timeoutMessage(URI uri) {
    return "The upstream at " + hostOf(uri) + " did not answer within upstream.timeout ("
        + cfg.timeout().toMillis() + " ms).";
  }

  private Request request(String method, URI uri, Map<String, List<String>> headers,
      byte[] body, boolean keyInXApiKey) {
    Request.Builder rb = new Request.Builder();
    try {
      rb.url(uri.toString());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("The request's path or query is not a valid URI.", null,
          "invalid_path");
    }
    okhttp3.Headers.Builder hb = new okhttp3.Headers.Builder();
    headers.forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      boolean clientKey = lower.equals("authorization") || lower.equals("x-api-key");
      if (NOT_FORWARDED.contains(lower) || lower.startsWith("x-bound-")
          || (clientKey && !apiKey.isEmpty())) {
        return;
      }
      for (String value : values) {
        // The dashboard's sign-in cookie holds an admin or dashboard token; it is Bound's own,
        // sent by any browser request to this host, and never the upstream's business.
        String v = lower.equals("cookie") ? withoutCookie(value, AdminAuth.COOKIE) : value;
        if (v.isEmpty()) {
          continue;
        }
        try {
          if (!headerValue(v)) {
            throw new IllegalArgumentException("it holds a control character");
          }
          hb.addUnsafeNonAscii(name, v);
        } catch (IllegalArgumentException e) {
          throw ApiException.invalid("The header " + name + " cannot be forwarded: "
              + e.getMessage(), name, "invalid_header");
        }
      }
    });
    if (!apiKey.isEmpty()) {
      if (keyInXApiKey) {
        hb.removeAll("x-api-key").addUnsafeNonAscii("x-api-key", apiKey);
      } else {
        hb.removeAll("Authorization").addUnsafeNonAscii("Authorization", "Bearer " + apiKey);
      }
    }
    // OkHttp would otherwise ask for gzip and undo it unseen; the answer is passed on and stored
    // as the upstream sent it, so ask for it as it is, as the client's own header is not passed.
    hb.set("Accept-Encoding", "identity");
    rb.headers(hb.build());
    String m = method.toUpperCase(Locale.ROOT);
    boolean bodyAllowed = !m.equals("GET") && !m.equals("HEAD");
    boolean bodyRequired = m.equals("POST") || m.equals("PUT") || m.equals("PATCH");
    // The body goes as it came, with no media type of OkHttp's own: the client's Content-Type
    // header, forwarded above, describes it.
    RequestBody content = bodyAllowed && (body.length > 0 || bodyRequired)
        ? RequestBody.create(body, (okhttp3.MediaType) null) : null;
    try {
      rb.method(method, content);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("The method " + method + " cannot be forwarded: "
          + e.getMessage(), null, "invalid_request");
    }
    return rb.build();
  }

  /**
   * The answer's headers. OkHttp reads header lines leniently (a line without a colon gets an
   * empty name), which the JDK's {@link HttpHeaders} refuses; such names are left out, and names
   * that differ only in case or surrounding blanks are merged, so an odd upstream header cannot
   * fail the request.
   */
  private static HttpHeaders headers(Response r) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    okhttp3.Headers h = r.headers();
    for (int i = 0; i < h.size(); i++) {
      String name = h.name(i).strip();
      if (!name.isEmpty()) {
        map.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(h.value(i));
      }
    }
    return HttpHeaders.of(map, (name, value) -> true);
  }

  /**
   * Whether a text may go in a header value as it is: no control character but tab. Characters
   * beyond ASCII are allowed, as the JDK's client allowed them; OkHttp writes them as UTF-8.
   */
  static boolean headerValue(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x20 && c != '\t' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static String hostOf(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority();
  }

  /**
   * Cancels a call once {@code limit} has passed, unless {@link #stop} came first. The call's
   * own failure, which the cancel causes, is then reported as the timeout.
   */
  private final class Deadline {
    private static final int RUNNING = 0;
    private static final int STOPPED = 1;
    private static final int PASSED = 2;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final ScheduledFuture<?> task;

    Deadline(Call call, Duration limit) {
      this.task = timers.schedule(() -> {
        if (state.compareAndSet(RUNNING, PASSED)) {
          call.cancel();
        }
      }, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** What the client is told of the call's failure: the timeout if it caused it. */
    ApiException failed(IOException e, URI uri) {
      return stop() ? failure(e, uri) : ApiException.upstreamTimeout(timeoutMessage(uri));
    }

    /** Stops the clock; false when the time had run out and the call was cancelled. */
    boolean stop() {
      boolean inTime = state.compareAndSet(RUNNING, STOPPED) || state.get() == STOPPED;
      task.cancel(false);
      return inTime;
    }
  }

  /**
   * A response body whose close cancels its call: closed before its end, the connection is
   * closed under a read blocked in another thread (the watch closes a body a request thread is
   * reading), which then fails at once, and is not given back to the pool half read. Once the
   * last byte is read, OkHttp has handed the connection back and the cancel touches nothing.
   */
  private static final class Body extends InputStream {
    private final Call call;
    private final InputStream in;
    /** Held while reading: a close from another thread leaves the source to the read. */
    private final ReentrantLock reading = new ReentrantLock();

    Body(Call call, InputStream in) {
      this.call = call;
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      reading.lock();
      try {
        return in.read();
      } catch (IOException | RuntimeException e) {
        // The read failed, perhaps cut off by a close from another thread.
        UpstreamWatch.closeQuietly(in);
        throw e;
      } finally {
        reading.unlock();
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      reading.lock();
      try {
        return in.read(b, off, len);
      } catch (IOException | RuntimeException e) {
        UpstreamWatch.closeQuietly(in);
        throw e;
      } finally {
        reading.unlock();
      }
    }

    /**
     * Cancels the call, then closes the body, or leaves that to the read under way in another
     * thread, which the cancel makes fail (a timer thread that closes a body must not wait for a
     * read).
     */
    @Override
    public void close() throws IOException {
      call.cancel();
      if (reading.tryLock()) {
        try {
          in.close();
        } finally {
          reading.unlock();
        }
      }
    }
  }
}
