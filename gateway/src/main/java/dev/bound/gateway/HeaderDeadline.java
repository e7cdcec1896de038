package dev.bound.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Closes a connection that spends longer than server.idle-timeout waiting for a request: from
 * when it opened, or its last response went out, until the next request's headers are all in.
 * The connector's own idle timeout restarts with every byte, so without this a client sending
 * its headers a byte at a time holds its connection, and a thread's worth of state, for ever.
 */
final class HeaderDeadline extends Handler.Wrapper {
  /** Marks a connection whose request is being handled. */
  private static final long IN_REQUEST = Long.MAX_VALUE;

  private final long limitNanos;
  private final Map<Connection, Long> waitingSince = new ConcurrentHashMap<>();

  HeaderDeadline(Duration limit, ScheduledExecutorService timers) {
    this.limitNanos = limit.toNanos();
    long tick = Math.max(100, Math.min(1000, limit.toMillis() / 4));
    timers.scheduleWithFixedDelay(this::sweep, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** To be added to the connector, which hands it to every connection it opens. */
  Connection.Listener connections() {
    return new Connection.Listener() {
      @Override
      public void onOpened(Connection c) {
        waitingSince.put(c, System.nanoTime());
      }

      @Override
      public void onClosed(Connection c) {
        waitingSince.remove(c);
      }
    };
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Connection c = request.getConnectionMetaData().getConnection();
    waitingSince.replace(c, IN_REQUEST);
    return super.handle(request, response,
        Callback.from(callback, () -> waitingSince.replace(c, IN_REQUEST, System.nanoTime())));
  }

  private void sweep() {
    long now = System.nanoTime();
    waitingSince.forEach((c, since) -> {
      if (since != IN_REQUEST && now - since > limitNanos) {
        c.getEndPoint().close();
      }
    });
  }
}
