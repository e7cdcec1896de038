package dev.bound.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's mistake at start gets one line saying what is wrong and a non-zero exit, never a
 * stack trace; found by fuzzing the command line.
 */
class StartFailuresTest {
  private record Run(int code, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, Map.of(), new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, err.toString(StandardCharsets.UTF_8));
  }

  private static void oneLine(Run r, String mentions) {
    assertTrue(r.code() > 0, r.code() + " " + r.err());
    assertTrue(r.err().startsWith("bound: "), r.err());
    assertTrue(r.err().contains(mentions), r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in thread"), r.err());
  }

  /** Serve on {@code data} is refused naming {@code mentions}, and {@code file} is untouched. */
  private static void refusedAndKept(Path data, String mentions, Path file) throws Exception {
    String before = Files.readString(file);
    oneLine(run("serve", "--upstream", "http://127.0.0.1:9/v1", "--port", "0", "--data",
        data.toString()), mentions);
    assertEquals(before, Files.readString(file));
  }

  @Test
  void dataDirectoryThatIsAFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    // It was "cannot unpack built-in embedding model ... java.nio.file.FileSystemException".
    refusedAndKept(file, "bound: the data directory " + file + " is a file, not a directory: "
        + "choose another with --data\n", file);
  }

  @Test
  void dataDirectoryThatIsASymbolicLinkToNothing(@TempDir Path dir) throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("data"), dir.resolve("gone"));
    oneLine(run("serve", "--upstream", "http://127.0.0.1:9/v1", "--port", "0", "--data",
        link.toString()), "bound: the data directory " + link + " is a symbolic link to "
            + dir.resolve("gone") + ", which does not exist: create that directory, or choose "
            + "another with --data\n");
    assertFalse(Files.exists(dir.resolve("gone")));
  }

  @Test
  void unreadableLedgerSnapshot_stopsTheStart_andIsKept(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("ledger"));
    refusedAndKept(dir, "snapshot.json",
        Files.writeString(dir.resolve("ledger/snapshot.json"), "{\"buckets\":[{\"g\":"));
  }

  @Test
  void badValues(@TempDir Path dir) throws Exception {
    oneLine(run("serve", "--upstream", "http://127.0.0.1:99999/v1", "--data",
        dir.toString()), "port 99999");
    oneLine(run("serve", "--upstream", "http://127.0.0.1:9/v1", "--host", "", "--data",
        dir.toString()), "host");
    oneLine(run("serve", "--upstream", "http://127.0.0.1:9/v1", "--currency", "not a code!",
        "--data", dir.toString()), "currency");
    Path config = Files.writeString(dir.resolve("bound.properties"),
        "cache.threshold = \\u12G4\n");
    oneLine(run("serve", "--upstream", "http://127.0.0.1:9/v1", "--config", config.toString(),
        "--data", dir.toString()), "config file");
    oneLine(run("help", "nope"), "nope");
    oneLine(run("serve", "--upstream", "http://127.0.0.1:9/v1", "--config", dir.toString(),
        "--data", dir.toString()), "bound: config file " + dir + " is a directory; --config takes "
            + "a properties file\n");
  }

  /**
   * A data directory owned by another user was refused as "Could not open the answer store at
   * D/index: D/index/write.lock", the path alone being Java's message for a permission denied.
   * Root is never denied, so the failure is built as the store throws it.
   */
  @Test
  void causes_namesAPermissionDenied_andWhatToDo() {
    String user = System.getProperty("user.name");
    assertEquals("Could not open the answer store at /d/index: /d/index/write.lock: permission "
        + "denied (Bound runs as user " + user + ", who must be able to read and write the data "
        + "directory and everything in it; change their owner or run Bound as their owner)",
        Main.causes(new java.io.UncheckedIOException("Could not open the answer store at "
            + "/d/index", new java.nio.file.AccessDeniedException("/d/index/write.lock"))));
    // A wrapper whose message is its cause's toString() is not said twice.
    assertEquals("cannot unpack: /d/models: not a directory", Main.causes(new RuntimeException(
        "cannot unpack", new java.io.UncheckedIOException(
            new java.nio.file.NotDirectoryException("/d/models")))));
    assertEquals("Could not open the answer journal at /d/journal: /d/journal/a.log: Read-only "
        + "file system", Main.causes(new java.io.UncheckedIOException("Could not open the answer "
        + "journal at /d/journal", new java.nio.file.FileSystemException("/d/journal/a.log", null,
        "Read-only file system"))));
  }

  /**
   * A misspelt variable (BOUND_SERVER_PROT for BOUND_SERVER_PORT) was ignored without a word,
   * and Bound started on the default port instead.
   */
  @Test
  void unknownBoundVariable_isNamedWithTheSettingItIsClosestTo(@TempDir Path dir) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // The host stops the start before anything is written; the warning comes before it.
    Main.run(new String[] {"serve", "--upstream", "http://127.0.0.1:9/v1", "--host",
        "no-such-host.invalid", "--data", dir.toString()}, Map.of("BOUND_SERVER_PROT", "9090",
        "BOUND_JAVA_OPTS", "-Xmx1g", "BOUND_NOTHING_LIKE_IT", "1", "HOME", "/root"),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals("bound: warning: the environment variable BOUND_NOTHING_LIKE_IT is not a setting "
        + "of Bound and is ignored\n"
        + "bound: warning: the environment variable BOUND_SERVER_PROT is not a setting of Bound "
        + "and is ignored; did you mean BOUND_SERVER_PORT?\n"
        + "bound: cannot listen on no-such-host.invalid: no address is known by that name "
        + "(choose another with --host, such as 127.0.0.1 or 0.0.0.0)\n",
        err.toString(StandardCharsets.UTF_8));
  }

  /**
   * A --host that names no address of this machine was found only after the model had loaded
   * and the data directory had been written, and a name that resolves to nothing was reported as
   * java.nio.channels.UnresolvedAddressException.
   */
  @Test
  void hostThatIsNoAddressOfThisMachine_isRefusedBeforeTheDataDirectoryIsWritten(
      @TempDir Path dir) {
    Path data = dir.resolve("data");
    oneLine(run("serve", "--upstream", "http://127.0.0.1:9/v1", "--port", "0", "--host",
        "no-such-host.invalid", "--data", data.toString()),
        "cannot listen on no-such-host.invalid: no address is known by that name (choose "
            + "another with --host, such as 127.0.0.1 or 0.0.0.0)");
    // 192.0.2.1 is kept for documentation (RFC 5737): never an address of this machine.
    oneLine(run("serve", "--upstream", "http://127.0.0.1:9/v1", "--port", "0", "--host",
        "192.0.2.1", "--data", data.toString()), "(is it an address of this machine? choose "
            + "another with --host, such as 127.0.0.1 or 0.0.0.0)");
    assertFalse(Files.exists(data), "nothing may be written before the address is known");
  }
}
