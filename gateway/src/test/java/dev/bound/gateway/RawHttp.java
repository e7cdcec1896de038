package dev.bound.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests {@code java.net.http} will not send: a raw path,
 * any header bytes, a body that disagrees with its headers. One request per connection.
 */
public final class RawHttp {
  /** A response read to the end of its connection, with a chunked body decoded. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawHttp() {}

  /** A request's bytes: the request line and headers as given, then {@code body}. */
  public static byte[] request(String method, String path, String headers, byte[] body) {
    String head = method + " " + path + " HTTP/1.1\r\n" + headers
        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  /** Sends the bytes and reads the answer; a status of -1 when the server closed without one. */
  public static Response send(int port, byte[] request, int timeoutMillis) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(timeoutMillis);
      OutputStream out = s.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // the server may refuse half way and still answer
      }
      byte[] all;
      try {
        all = s.getInputStream().readAllBytes();
      } catch (IOException e) {
        all = new byte[0];
      }
      return parse(all);
    }
  }

  static Response parse(byte[] all) throws IOException {
    String text = new String(all, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return new Response(-1, Map.of(), all);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip(), (a, b) -> a + ", " + b);
    }
    byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(new java.io.ByteArrayInputStream(body));
    }
    return new Response(status, headers, body);
  }

  private static byte[] dechunk(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      StringBuilder size = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0 && c != '\n') {
        if (c != '\r') {
          size.append((char) c);
        }
      }
      String hex = size.toString().split(";")[0].strip();
      if (c < 0 || hex.isEmpty()) {
        return out.toByteArray(); // cut short: what arrived
      }
      int n = Integer.parseInt(hex, 16);
      if (n == 0) {
        return out.toByteArray();
      }
      out.write(in.readNBytes(n));
      in.readNBytes(2);
    }
  }
}
