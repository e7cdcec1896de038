package dev.bound.gateway.bench;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floor under Bound's exact hits in {@code bound compare}: Javalin and Jetty with Bound's
 * server settings (virtual threads, no compression), in a process of their own, reading each
 * POST's body and answering it with the bytes of one of Bound's own exact hits. Beside nginx it
 * shows how much of an exact hit's time the HTTP stack takes before Bound does anything; beside
 * Bound, what Bound's own handler adds.
 */
public final class FloorServer {
  /** The response header and value that mark its answers, as X-Bound-Cache marks Bound's. */
  static final String HEADER = "X-Cache-Status";
  static final String TIER = "FLOOR";

  private FloorServer() {}

  /** Arguments: the port, then the file whose bytes every answer carries. */
  public static void main(String[] args) throws Exception {
    byte[] answer = Files.readAllBytes(Path.of(args[1]));
    Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.concurrency.useVirtualThreads = true;
      c.http.compressionStrategy = CompressionStrategy.NONE;
      c.routes.post("/*", ctx -> {
        ctx.bodyAsBytes();
        ctx.status(200);
        ctx.header(HEADER, TIER);
        ctx.contentType("application/json");
        ctx.res().setContentLength(answer.length);
        ctx.res().getOutputStream().write(answer);
      });
      c.routes.get("/readyz", ctx -> ctx.result("ready"));
    }).start("127.0.0.1", Integer.parseInt(args[0]));
  }
}
