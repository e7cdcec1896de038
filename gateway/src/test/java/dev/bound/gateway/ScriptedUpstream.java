package dev.bound.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream on a plain socket, whose every byte a test scripts: it can stall, drip, reset the
 * connection or cut a body short, which a server framework would not let it do. It counts the
 * connections still open, so a test can see that Bound let go of a call.
 */
final class ScriptedUpstream implements AutoCloseable {
  /** Answers one request; {@code body} is the request body as text. */
  interface Script {
    void answer(String path, String body, Conn conn) throws Exception;
  }

  /** One accepted connection, with the writes a script needs. */
  static final class Conn {
    final Socket socket;
    final OutputStream out;

    Conn(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
    }

    void head(int status, String contentType, long length) throws IOException {
      write("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\n"
          + (length >= 0 ? "Content-Length: " + length + "\r\n" : "")
          + "Connection: close\r\n\r\n");
    }

    void write(String s) throws IOException {
      out.write(s.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    /** A whole JSON answer. */
    void json(int status, String body, String... extraHeaders) throws IOException {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      write("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: "
          + b.length + "\r\n" + String.join("", extraHeaders) + "Connection: close\r\n\r\n");
      out.write(b);
      out.flush();
    }

    /** Waits, without writing, until Bound closes the connection or {@code millis} pass. */
    void holdUntilClosed(long millis) throws IOException {
      socket.setSoTimeout(50);
      long end = System.currentTimeMillis() + millis;
      InputStream in = socket.getInputStream();
      while (System.currentTimeMillis() < end) {
        try {
          if (in.read() < 0) {
            return;
          }
        } catch (SocketTimeoutException e) {
          // still open
        }
      }
    }

    /** Ends the connection with a reset instead of an orderly close. */
    void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }
  }

  final AtomicInteger open = new AtomicInteger();
  final AtomicInteger calls = new AtomicInteger();
  private final ServerSocket server;
  private final Script script;

  ScriptedUpstream(Script script) throws IOException {
    this.script = script;
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::acceptLoop);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        open.incrementAndGet();
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      String head = readHead(in);
      String path = head.split(" ")[1];
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).strip());
        }
      }
      String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      calls.incrementAndGet();
      script.answer(path, body, new Conn(s));
    } catch (Exception e) {
      // Bound went away, or the script reset the connection
    } finally {
      open.decrementAndGet();
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      byte[] a = b.toByteArray();
      int n = a.length;
      if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
        break;
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** Waits until no connection is open, at most {@code millis}; returns how many still are. */
  int awaitClosed(long millis) throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (open.get() > 0 && System.currentTimeMillis() < end) {
      Thread.sleep(20);
    }
    return open.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
