package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.gateway.cli.Main;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code bound serve} in a JVM of its own, for tests that kill or stop it. */
final class ServeProcess {
  private static final String LISTENING = " is listening on ";
  final Process process;
  /** The base URL a client is given, ending in /v1. */
  final URI v1;
  final StringBuffer output = new StringBuffer();

  /** Starts {@code bound serve} on a free port, with {@code args} added; waits until it listens. */
  ServeProcess(Path data, URI upstream, String... args) throws Exception {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        "-Dai.djl.offline=true", Main.class.getName(), "serve", "--port", "0",
        "--host", "127.0.0.1", "--data", data.toString(), "--upstream", upstream.toString()));
    cmd.addAll(List.of(args));
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    // A test that fails before it stops the child, or a test JVM that ends on an ordinary
    // signal, must not leave a server running on the machine.
    Process child = process;
    Runtime.getRuntime().addShutdownHook(new Thread(child::destroyForcibly, "serve-reaper"));
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread drain = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          output.append(line).append('\n');
          int at = line.indexOf(LISTENING);
          if (at >= 0) {
            url.complete(line.substring(at + LISTENING.length()).strip());
          }
        }
      } catch (Exception e) {
        // the process ended; what it printed so far is in output
      }
      url.complete(null);
    });
    drain.setDaemon(true);
    drain.start();
    String u;
    try {
      u = url.get(90, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      u = null;
    }
    if (u == null) {
      process.destroyForcibly();
    }
    assertTrue(u != null, "bound serve did not start:\n" + output);
    v1 = URI.create(u);
  }

  /** A path outside /v1, such as /metrics. */
  URI root(String path) {
    return URI.create("http://" + v1.getHost() + ":" + v1.getPort() + path);
  }

  /** SIGKILL on Linux: no shutdown hook, no close, no flush. */
  void kill() throws Exception {
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child did not die");
    assertNotEquals(0, process.exitValue());
  }

  /** SIGTERM: the shutdown hook closes Bound as {@code bound serve} does on Ctrl-C. */
  void stop() throws Exception {
    process.destroy();
    assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the child did not stop:\n" + output);
  }
}
