package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.sim.SimulatedUpstream;
import dev.bound.index.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a web page, a hostile upstream or a malformed request can do to a Bound on the user's own
 * machine, and what Bound refuses: foreign Host headers, cross-origin writes, non-JSON bodies,
 * the upstream's own labels and cookies, paths that climb out of /v1/, Jetty's HTML error pages,
 * slow headers, and stored answers that can no longer be read.
 */
class HttpHardeningTest {
  static final String ADMIN = "admin-token-for-hardening-tests";
  @TempDir static Path data;
  static FakeUpstream upstream;
  static Harness bound;

  @BeforeAll
  static void start() {
    upstream = new FakeUpstream(ctx -> {
      ctx.header("X-Bound-Cache", "HIT-BOUND");
      ctx.header("X-Bound-Entry", "forged");
      ctx.header("Set-Cookie", "session=upstream");
      ctx.header("Access-Control-Allow-Origin", "*");
      ctx.header("Connection", "X-Hop");
      ctx.header("X-Hop", "one hop only");
      ctx.contentType("application/json").result(UpstreamFaultsTest.answer("path "
          + ctx.path()));
    });
    bound = new Harness(data, upstream.url(), Map.of("server.cors-origins",
        "https://app.example", "server.idle-timeout", "1s", "admin.token", ADMIN));
  }

  @AfterAll
  static void stop() {
    bound.close();
    upstream.close();
  }

  static RawHttp.Response raw(String method, String path, String headers, String body)
      throws IOException {
    return RawHttp.send(bound.gateway.port(), RawHttp.request(method, path, headers,
        body.getBytes(StandardCharsets.UTF_8)), 10_000);
  }

  static String chat(String prompt) {
    return UpstreamFaultsTest.chat(prompt, false);
  }

  /** An error in the OpenAI shape with this status and code. */
  static void assertError(int status, String code, int gotStatus, String body) throws Exception {
    assertEquals(status, gotStatus, body);
    JsonNode e = Json.MAPPER.readTree(body).path("error");
    for (String f : List.of("message", "type", "param", "code")) {
      assertTrue(e.has(f), "no " + f + " in " + body);
    }
    assertEquals(code, e.path("code").asText(), body);
  }

  @Test
  void upstreamHeaders_cannotRelabelOrSetCookies() throws Exception {
    HttpResponse<String> r = bound.post("/chat/completions", chat("relabel me"));
    assertEquals(200, r.statusCode());
    assertEquals(List.of("MISS"), r.headers().allValues("X-Bound-Cache"));
    assertTrue(r.headers().firstValue("X-Bound-Entry").isEmpty());
    assertTrue(r.headers().firstValue("Set-Cookie").isEmpty());
    assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    assertTrue(r.headers().firstValue("X-Hop").isEmpty());
    HttpResponse<String> passed = bound.get("/models");
    assertTrue(passed.headers().firstValue("Set-Cookie").isEmpty());
    assertTrue(passed.headers().firstValue("X-Bound-Cache").isEmpty());
  }

  @Test
  void cors_onlyForConfiguredOrigins() throws Exception {
    String json = "Host: 127.0.0.1\r\nContent-Type: application/json\r\n";
    RawHttp.Response allowed = raw("POST", "/v1/chat/completions",
        json + "Origin: https://app.example\r\n", chat("cors"));
    assertEquals(200, allowed.status());
    assertEquals("https://app.example", allowed.header("Access-Control-Allow-Origin"));
    RawHttp.Response foreign = raw("POST", "/v1/chat/completions",
        json + "Origin: https://evil.example\r\n", chat("cors"));
    assertError(403, "origin_not_allowed", foreign.status(), foreign.text());
    assertNull(foreign.header("Access-Control-Allow-Origin"));
    RawHttp.Response preflight = raw("OPTIONS", "/v1/chat/completions", "Host: 127.0.0.1\r\n"
        + "Origin: https://app.example\r\nAccess-Control-Request-Method: POST\r\n"
        + "Access-Control-Request-Headers: authorization, content-type\r\n", "");
    assertEquals(204, preflight.status());
    assertEquals("authorization, content-type",
        preflight.header("Access-Control-Allow-Headers"));
    RawHttp.Response sameOrigin = raw("POST", "/v1/chat/completions",
        json + "Origin: http://127.0.0.1\r\n", chat("cors"));
    assertEquals(200, sameOrigin.status());
  }

  @Test
  void adminWrites_fromAnotherPageOfTheSameHost_areRefused() throws Exception {
    String doc = "{\"questions\":[\"What is the office wifi password?\"],\"answer\":\"hunter2\","
        + "\"author\":\"csrf\"}";
    // Another port of the same host is the same site: the SameSite cookie would go with it.
    RawHttp.Response byOrigin = raw("POST", "/admin/documents", "Host: 127.0.0.1\r\n"
        + "Origin: http://127.0.0.1:3000\r\nContent-Type: application/json\r\nCookie: "
        + "bound_token=" + ADMIN + "\r\n", doc);
    assertError(403, "origin_not_allowed", byOrigin.status(), byOrigin.text());
    RawHttp.Response nullOrigin = raw("POST", "/admin/documents", "Host: 127.0.0.1\r\n"
        + "Origin: null\r\nSec-Fetch-Site: same-site\r\nContent-Type: application/json\r\n"
        + "Authorization: Bearer " + ADMIN + "\r\n", doc);
    assertError(403, "origin_not_allowed", nullOrigin.status(), nullOrigin.text());
    RawHttp.Response textBody = raw("POST", "/admin/documents", "Host: 127.0.0.1\r\n"
        + "Content-Type: text/plain\r\nAuthorization: Bearer " + ADMIN + "\r\n", doc);
    assertError(415, "unsupported_media_type", textBody.status(), textBody.text());
    // The dashboard's cookie opens the dashboard's reads, never the admin API.
    RawHttp.Response cookie = raw("POST", "/admin/documents", "Host: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nCookie: bound_token=" + ADMIN + "\r\n", doc);
    assertError(401, "invalid_token", cookie.status(), cookie.text());
    RawHttp.Response login = raw("POST", "/dashboard/login", "Host: 127.0.0.1\r\n"
        + "Origin: http://evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\n",
        "token=" + ADMIN);
    assertEquals(403, login.status(), login.text());
    RawHttp.Response crossSiteLogin = raw("POST", "/dashboard/login", "Host: 127.0.0.1\r\n"
        + "Origin: null\r\nSec-Fetch-Site: cross-site\r\n"
        + "Content-Type: application/x-www-form-urlencoded\r\n", "token=" + ADMIN);
    assertEquals(403, crossSiteLogin.status(), crossSiteLogin.text());
    // None of the refused requests above wrote anything; the same request with the bearer
    // token and from no web page at all does.
    RawHttp.Response list = raw("GET", "/admin/documents", "Host: 127.0.0.1\r\n"
        + "Authorization: Bearer " + ADMIN + "\r\n", "");
    assertEquals(200, list.status(), list.text());
    assertFalse(list.text().contains("hunter2"), list.text());
    RawHttp.Response plain = raw("POST", "/admin/documents", "Host: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nAuthorization: Bearer " + ADMIN + "\r\n"
        + "Sec-Fetch-Site: none\r\n", doc);
    assertEquals(201, plain.status(), plain.text());
  }

  @Test
  void foreignHost_isRefused() throws Exception {
    int port = bound.gateway.port();
    RawHttp.Response rebound = raw("GET", "/v1/models", "Host: evil.example:" + port + "\r\n",
        "");
    assertError(403, "host_not_allowed", rebound.status(), rebound.text());
    for (String host : List.of("localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port,
        "LOCALHOST")) {
      assertEquals(200, raw("GET", "/v1/models", "Host: " + host + "\r\n", "").status(), host);
    }
    assertEquals(List.of("localhost", "127.0.0.1", "[::1]"),
        dev.bound.config.BoundConfig.resolve(Map.of(), Map.of(), null).server().allowedHosts());
    assertEquals(List.of(), dev.bound.config.BoundConfig.resolve(
        Map.of("server.host", "0.0.0.0"), Map.of(), null).server().allowedHosts());
  }

  @Test
  void nonJsonBodies_areRefusedWith415() throws Exception {
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x")) {
      RawHttp.Response r = raw("POST", "/v1/chat/completions", "Host: 127.0.0.1\r\n"
          + "Content-Type: " + type + "\r\n", chat("typed"));
      assertError(415, "unsupported_media_type", r.status(), r.text());
    }
    RawHttp.Response none = raw("POST", "/v1/embeddings", "Host: 127.0.0.1\r\n",
        "{\"model\":\"m\",\"input\":\"x\"}");
    assertError(415, "unsupported_media_type", none.status(), none.text());
    RawHttp.Response anthropic = raw("POST", "/v1/messages", "Host: 127.0.0.1\r\n"
        + "Content-Type: text/plain\r\n", "{}");
    assertEquals("error", Json.MAPPER.readTree(anthropic.body()).path("type").asText());
    for (String type : List.of("application/json; charset=utf-8", "Application/JSON",
        "application/vnd.api+json")) {
      assertEquals(200, bound.post("/chat/completions", chat("typed"), "Content-Type", type)
          .statusCode(), type);
    }
    RawHttp.Response passText = raw("POST", "/v1/moderations", "Host: 127.0.0.1\r\n"
        + "Content-Type: text/plain\r\n", "{}");
    assertError(415, "unsupported_media_type", passText.status(), passText.text());
    assertEquals(200, raw("POST", "/v1/files", "Host: 127.0.0.1\r\n"
        + "Content-Type: multipart/form-data; boundary=x\r\n", "--x--\r\n").status());
  }

  @Test
  void compressedBodies_areRefusedWith415_sayingSo() throws Exception {
    RawHttp.Response r = raw("POST", "/v1/chat/completions", "Host: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Encoding: gzip\r\n", chat("zipped"));
    assertError(415, "unsupported_media_type", r.status(), r.text());
    assertEquals("The body must be sent uncompressed: Content-Encoding gzip is not accepted here.",
        Json.MAPPER.readTree(r.body()).at("/error/message").asText());
    assertEquals(200, raw("POST", "/v1/chat/completions", "Host: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Encoding: identity\r\n", chat("zipped"))
        .status());
  }

  @Test
  void passThroughPaths_cannotLeaveV1() throws Exception {
    int calls = upstream.calls.get();
    for (String path : List.of("/v1/../stats", "/v1/%2e%2e/stats", "/v1/%2E%2E/admin",
        "/v1/a%2fb", "/v1/x/../../stats", "/v1/..%5cstats", "/v1/.%2e/stats")) {
      RawHttp.Response r = raw("GET", path, "Host: 127.0.0.1\r\n", "");
      assertTrue(r.status() == 400 || r.status() == 404, path + " -> " + r.status());
      assertTrue(Json.MAPPER.readTree(r.body()).path("error").has("code"), r.text());
    }
    assertEquals(calls, upstream.calls.get(), "a climbing path reached the upstream");
    RawHttp.Response inside = raw("GET", "/v1/x/../models", "Host: 127.0.0.1\r\n", "");
    assertEquals(200, inside.status());
    assertTrue(inside.text().contains("path /v1/models"), inside.text());
  }

  @Test
  void jettysOwnErrors_areJson() throws Exception {
    RawHttp.Response big = raw("GET", "/v1/models", "Host: 127.0.0.1\r\nX-Big: "
        + "a".repeat(9000) + "\r\n", "");
    assertError(431, "headers_too_large", big.status(), big.text());
    RawHttp.Response nul = raw("GET", "/v1/a%00b", "Host: 127.0.0.1\r\n", "");
    assertError(400, "bad_request", nul.status(), nul.text());
    RawHttp.Response bad = raw("GET", "/v1/models", "Host: 127.0.0.1\r\nNo colon here\r\n", "");
    assertError(400, "bad_request", bad.status(), bad.text());
  }

  /** A client sending its headers a byte at a time is cut off at server.idle-timeout (1 s). */
  @Test
  void slowHeaders_areCutOff() throws Exception {
    long t0 = System.nanoTime();
    try (Socket s = new Socket("127.0.0.1", bound.gateway.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.UTF_8));
      boolean cut = false;
      for (int i = 0; i < 40 && !cut; i++) {
        Thread.sleep(300);
        try {
          out.write('X');
          out.flush();
        } catch (IOException e) {
          cut = true;
        }
      }
      if (!cut) {
        InputStream in = s.getInputStream();
        cut = in.read() < 0;
      }
      assertTrue(cut, "the slow client still holds its connection");
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 5000, ms + " ms");
  }

  /** The probe's case: an answer over Jackson's string limit made its prompt fail with 500. */
  @Test
  void unreadableStoredAnswer_isAMissAndIsRemoved() throws Exception {
    String prompt = "poisoned prompt";
    assertEquals("MISS", Harness.tier(bound.post("/chat/completions", chat(prompt))));
    bound.gateway.awaitIndexed();
    Entry e = bound.gateway.cache().store().browse(prompt, null, null, 0, 1, 100).get(0);
    String huge = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\""
        + "x".repeat(21_000_000) + "\"},\"finish_reason\":\"stop\"}]}";
    bound.gateway.cache().store().add(new Entry(e.id(), e.scope(), e.exactKey(), e.prompt(),
        e.vector(), e.model(), huge, e.createdMillis()));
    HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + bound.gateway.port() + "/admin/entries"))
        .header("Authorization", "Bearer " + ADMIN).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, list.statusCode(), list.body());
    assertFalse(list.body().contains(e.id()));
    HttpResponse<String> again = bound.post("/chat/completions", chat(prompt));
    assertEquals(200, again.statusCode(), again.body());
    assertEquals("MISS", Harness.tier(again));
    bound.gateway.awaitIndexed();
    assertEquals("HIT-EXACT", Harness.tier(bound.post("/chat/completions", chat(prompt))));
  }

  @Test
  void unreadableStoredAnswer_onTheRequestPath_isAMiss() throws Exception {
    String prompt = "broken on the request path";
    bound.post("/chat/completions", chat(prompt));
    bound.gateway.awaitIndexed();
    Entry e = bound.gateway.cache().store().browse(prompt, null, null, 0, 1, 100).get(0);
    bound.gateway.cache().store().add(new Entry(e.id(), e.scope(), e.exactKey(), e.prompt(),
        e.vector(), e.model(), "{\"choices\": [", e.createdMillis()));
    HttpResponse<String> r = bound.post("/chat/completions", chat(prompt));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("MISS", Harness.tier(r));
    assertTrue(bound.decisionLog().contains("could not be read and was removed"));
  }

  /** The demo's upstream took no body over 1 MB, under Bound's own 4 MiB limit. */
  @Test
  void simulatedUpstream_takesWhatBoundLetsThrough() throws Exception {
    try (SimulatedUpstream sim = Harness.fastUpstream()) {
      String body = chat("y".repeat(3_000_000));
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(sim.url() + "/chat/completions")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body().substring(0, Math.min(200, r.body().length())));
    }
  }

  @Test
  void keepAlive_aMissHasItsLength_andTheNextRequestOnTheConnectionIsAnswered() throws Exception {
    byte[] body = chat("Keep-alive: is the second question on this connection answered?")
        .getBytes(StandardCharsets.UTF_8);
    String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
    try (Socket s = new Socket("127.0.0.1", bound.gateway.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (String tier : List.of("MISS", "HIT-EXACT")) {
        // The next request goes out the moment the last answer is read, as a pooled client's does.
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        Map<String, String> headers = readHead(in);
        assertEquals("200", headers.get(":status"), headers.toString());
        assertEquals(tier, headers.get("x-bound-cache"), headers.toString());
        assertNull(headers.get("transfer-encoding"), "a whole answer is sent with its length");
        String answer = new String(in.readNBytes(
            Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
        assertTrue(answer.contains("\"choices\""), answer);
      }
    }
  }

  /** Reads a response's status line and headers; names lower-cased, the status as ":status". */
  private static Map<String, String> readHead(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed after: " + sb);
      }
      sb.append((char) b);
    }
    Map<String, String> headers = new java.util.HashMap<>();
    String[] lines = sb.toString().split("\r\n");
    headers.put(":status", lines[0].split(" ")[1]);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
          lines[i].substring(colon + 1).strip());
    }
    return headers;
  }
}
