package dev.bound.gateway.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Decision lines are gathered and written whole, in order, in UTF-8. */
class DecisionLogTest {
  @Test
  void linesWaitForAFlush_thenComeOutWholeInUtf8() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // A stream whose own charset could not carry the text: the log writes UTF-8 bytes itself.
    DecisionLog log = new DecisionLog(new PrintStream(bytes, true, StandardCharsets.US_ASCII),
        true);
    log.write("{\"prompt\":\"Grüß dich 🙂\"}");
    log.write("{\"n\":2}");
    assertEquals(0, bytes.size(), "nothing is written before a flush");
    log.flush();
    assertEquals("{\"prompt\":\"Grüß dich 🙂\"}\n{\"n\":2}\n",
        bytes.toString(StandardCharsets.UTF_8));
    log.flush();
    assertEquals(2, bytes.toString(StandardCharsets.UTF_8).lines().count(), "flushed once only");
  }

  @Test
  void aFullBufferIsWrittenByItsWriter() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DecisionLog log = new DecisionLog(new PrintStream(bytes), true);
    String line = "x".repeat(999);
    int lines = DecisionLog.FLUSH_BYTES / 1000;
    for (int i = 0; i < lines; i++) {
      log.write(line);
    }
    assertEquals(0, bytes.size(), "just below the threshold");
    log.write(line);
    assertEquals(1000 * (lines + 1), bytes.size());
  }

  @Test
  void started_itsThreadWritesWithoutBeingAsked_andAfterCloseEachLineGoesStraightOut()
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DecisionLog log = new DecisionLog(new PrintStream(bytes), true);
    log.start();
    log.write("{\"n\":1}");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (bytes.size() == 0) {
      assertTrue(System.nanoTime() < deadline, "the log's thread never wrote");
      Thread.sleep(5);
    }
    log.close();
    log.write("{\"n\":2}");
    assertEquals("{\"n\":1}\n{\"n\":2}\n", bytes.toString(StandardCharsets.UTF_8),
        "a line after close is not left waiting");
  }

  @Test
  void eachWriteIsAPieceOfWholeLines_noLongerThanAPipeWritesAtOnce() {
    List<String> writes = new ArrayList<>();
    OutputStream recorder = new OutputStream() {
      @Override
      public void write(int b) {
        writes.add(String.valueOf((char) b));
      }

      @Override
      public void write(byte[] b, int off, int len) {
        writes.add(new String(b, off, len, StandardCharsets.UTF_8));
      }
    };
    DecisionLog log = new DecisionLog(new PrintStream(recorder), true);
    for (int i = 0; i < 50; i++) {
      log.write("{\"i\":" + i + ",\"pad\":\"" + "q".repeat(300) + "\"}");
    }
    String longLine = "{\"long\":\"" + "L".repeat(5_000) + "\"}";
    log.write(longLine);
    log.write("{\"last\":true}");
    log.flush();
    StringBuilder all = new StringBuilder();
    for (String w : writes) {
      assertTrue(w.endsWith("\n"), "a piece ends at a line end");
      assertTrue(w.length() <= DecisionLog.PIECE || w.equals(longLine + "\n"),
          "only a line longer than a piece is written alone: " + w.length());
      all.append(w);
    }
    assertTrue(writes.size() >= 5, "written in pieces: " + writes.size());
    assertTrue(writes.contains(longLine + "\n"));
    assertEquals(52, all.toString().lines().count());
  }

  @Test
  void aDisabledLogWritesNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DecisionLog log = new DecisionLog(new PrintStream(bytes), false);
    log.write("{}");
    log.flush();
    assertEquals(0, bytes.size());
  }

  @Test
  void writersAtOnce_neverSplitALine() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DecisionLog log = new DecisionLog(new PrintStream(bytes), true);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      int writer = w;
      done.add(pool.submit(() -> {
        for (int i = 0; i < 2_000; i++) {
          // Long enough that the buffer fills and is written by a writer many times over.
          log.write("{\"writer\":" + writer + ",\"i\":" + i + ",\"pad\":\"" + "p".repeat(200)
              + "\"}");
          if (i % 500 == 0) {
            log.flush();
          }
        }
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    log.flush();
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(16_000, lines.size());
    Set<String> seen = new HashSet<>();
    int[] next = new int[8];
    for (String l : lines) {
      assertTrue(l.matches("\\{\"writer\":\\d,\"i\":\\d+,\"pad\":\"p{200}\"}"), l);
      int writer = l.charAt(10) - '0';
      int i = Integer.parseInt(l.substring(l.indexOf("\"i\":") + 4, l.indexOf(",\"pad\"")));
      assertEquals(next[writer]++, i, "each writer's lines in its order");
      assertTrue(seen.add(l));
    }
  }
}
