package dev.bound.gateway;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * Notices that a client has closed its connection while its request waits on the upstream.
 * Jetty does not read from an HTTP/1.1 connection while a handler runs, so a client that leaves
 * before anything is written to it goes unseen; this tries a non-blocking read of one byte on the
 * connection instead, which answers end-of-stream once the client has closed its side.
 */
final class ClientLink {
  private final EndPoint endPoint;
  private volatile boolean swallowed;

  private ClientLink(EndPoint endPoint) {
    this.endPoint = endPoint;
  }

  /** A link that looks at this connection; for tests. */
  static ClientLink of(EndPoint endPoint) {
    return new ClientLink(endPoint);
  }

  /** The link to the client of this exchange; one that never reports a departure if unknown. */
  static ClientLink of(Context ctx) {
    ServletContextRequest r = ServletContextRequest.getServletContextRequest(ctx.req());
    return new ClientLink(r == null ? null : r.getConnectionMetaData().getConnection()
        .getEndPoint());
  }

  /**
   * Whether the client has closed the connection. Called from one thread at a time. A byte that
   * arrives meanwhile belongs to a pipelined next request and cannot be put back, so the link
   * stops looking and {@link #swallowed} asks for the connection to be closed after this answer.
   */
  boolean gone() {
    if (endPoint == null || swallowed) {
      return false;
    }
    ByteBuffer one = ByteBuffer.allocate(1).flip(); // Jetty fills from limit to capacity
    try {
      int n = endPoint.fill(one);
      if (n > 0) {
        swallowed = true;
      }
      return n < 0;
    } catch (IOException e) {
      return true;
    }
  }

  /** Closes the client's connection, failing a write blocked on it. */
  void drop() {
    if (endPoint != null) {
      endPoint.close();
    }
  }

  /** Whether a byte of a next request was read while looking; see {@link #gone}. */
  boolean swallowed() {
    return swallowed;
  }
}
