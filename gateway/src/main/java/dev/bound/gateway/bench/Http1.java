package dev.bound.gateway.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * One keep-alive HTTP/1.1 connection, used by one load-generator worker at a time, like a
 * connection of wrk or pgbench. A blocking socket costs the generator far less CPU per request
 * than {@code java.net.http}, which matters when the generator and the server share two cores.
 */
final class Http1 implements Closeable {
  /** A response read to its end. */
  record Response(int status, Map<String, String> headers, byte[] body, long firstByteNanos) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final URI base;
  private final String hostHeader;
  private final int timeoutMillis;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  Http1(URI base, int timeoutMillis) {
    this.base = base;
    int port = port(base);
    this.hostHeader = base.getHost() + (base.getPort() > 0 ? ":" + port : "");
    this.timeoutMillis = timeoutMillis;
  }

  static int port(URI u) {
    return u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
  }

  /**
   * Sends a POST of JSON and reads the whole answer; {@code firstByteNanos} is when the first
   * byte of the body arrived (the first event of a stream). Retries once on a fresh connection
   * when a reused one turns out to have been closed by the server before it answered.
   */
  Response post(String path, byte[] body, String[] headers, long t0) throws IOException {
    byte[] head = requestHead(path, body.length, headers);
    boolean reused = socket != null;
    try {
      return exchange(head, body, t0);
    } catch (EOFException e) {
      closeQuietly();
      if (!reused || e.getMessage() == null || !e.getMessage().startsWith("no status")) {
        throw e;
      }
      return exchange(head, body, t0);
    }
  }

  private Response exchange(byte[] head, byte[] body, long t0) throws IOException {
    if (socket == null) {
      connect();
    }
    out.write(head);
    out.write(body);
    out.flush();
    String status = line();
    if (status == null) {
      throw new EOFException("no status line: the server closed the connection");
    }
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x status line: " + status);
    }
    int code = Integer.parseInt(parts[1]);
    Map<String, String> headers = new HashMap<>();
    String h;
    while ((h = line()) != null && !h.isEmpty()) {
      int colon = h.indexOf(':');
      if (colon > 0) {
        headers.merge(h.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            h.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
      }
    }
    if (h == null) {
      throw new EOFException("the connection closed inside the response headers");
    }
    ByteArrayOutputStream bodyOut = new ByteArrayOutputStream(1024);
    long first = 0;
    boolean mustClose = "close".equalsIgnoreCase(headers.get("connection"));
    String te = headers.get("transfer-encoding");
    String cl = headers.get("content-length");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      while (true) {
        String size = line();
        if (size == null) {
          throw new EOFException("the connection closed inside a chunked body");
        }
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
        if (first == 0) {
          first = System.nanoTime();
        }
        if (n == 0) {
          while ((h = line()) != null && !h.isEmpty()) {
            // trailers are not used
          }
          break;
        }
        copy(n, bodyOut);
        if (line() == null) {
          throw new EOFException("the connection closed inside a chunked body");
        }
      }
    } else if (cl != null) {
      long n = Long.parseLong(cl.strip());
      if (n > 0) {
        copy(n, bodyOut);
        first = System.nanoTime();
      }
    } else if (code != 204 && code != 304) {
      mustClose = true;
      byte[] buf = new byte[8192];
      int r;
      while ((r = in.read(buf)) >= 0) {
        if (first == 0) {
          first = System.nanoTime();
        }
        bodyOut.write(buf, 0, r);
      }
    }
    if (mustClose) {
      closeQuietly();
    }
    return new Response(code, headers, bodyOut.toByteArray(), first == 0 ? 0 : first - t0);
  }

  private byte[] requestHead(String path, int length, String[] headers) {
    StringBuilder sb = new StringBuilder(256);
    sb.append("POST ").append(base.getRawPath().replaceAll("/+$", "")).append(path)
        .append(" HTTP/1.1\r\nHost: ").append(hostHeader)
        .append("\r\nContent-Type: application/json\r\nAccept: */*\r\nContent-Length: ")
        .append(length).append("\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      sb.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    return sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  private void connect() throws IOException {
    Socket s = "https".equals(base.getScheme())
        ? SSLSocketFactory.getDefault().createSocket() : new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setSoTimeout(timeoutMillis);
      s.connect(new InetSocketAddress(base.getHost(), port(base)), timeoutMillis);
      in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
      out = s.getOutputStream();
      socket = s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private void copy(long n, ByteArrayOutputStream to) throws IOException {
    byte[] buf = new byte[(int) Math.min(8192, n)];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new EOFException("the connection closed inside the body");
      }
      to.write(buf, 0, r);
      left -= r;
    }
  }

  /** One CRLF- or LF-terminated line in ISO-8859-1, without its end; null at a clean EOF. */
  private String line() throws IOException {
    StringBuilder sb = new StringBuilder(64);
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      sb.append((char) b);
    }
    return sb.isEmpty() ? null : sb.toString();
  }

  void closeQuietly() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // nothing more to do with it
      }
      socket = null;
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
