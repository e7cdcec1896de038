package dev.bound.index.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.index.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerJournalTest {
  /** Long enough that no background flush runs during a test; the tests flush themselves. */
  private static final Duration NEVER = Duration.ofHours(1);

  private static Entry entry(int i, boolean vector) {
    return new Entry("ent_" + i, "scope-" + (i % 3), "question " + i, "Question " + i + "?",
        vector ? new float[] {i, 1, -2.5f} : null, "sim", "{\"answer\":\"é " + i + "\"}",
        1_700_000_000_000L + i, i % 2 == 0 ? "" : "tenant");
  }

  private static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void append_isRecoveredByTheNextOpen_withAndWithoutVectors(@TempDir Path dir) {
    List<Entry> written = new ArrayList<>();
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      for (int i = 0; i < 5; i++) {
        written.add(entry(i, i % 2 == 0));
        j.append(written.getLast());
      }
      assertEquals(5, j.unflushed());
      j.flush();
      assertEquals(0, j.unflushed());
    }
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      assertEquals(written, j.recovered());
    }
  }

  @Test
  void unreleased_readsBackEverySegmentUntilItIsReleased(@TempDir Path dir) {
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      AnswerJournal.Ticket first = j.append(entry(1, true));
      j.indexed(first);
      AnswerJournal.Checkpoint done = j.checkpoint();
      j.append(entry(2, false));
      assertEquals(List.of(entry(1, true), entry(2, false)), j.unreleased(),
          "the indexed entry stays until a commit covered it");
      j.release(done);
      assertEquals(List.of(entry(2, false)), j.unreleased());
    }
  }

  @Test
  void open_ignoresATornTail(@TempDir Path dir) throws IOException {
    try (AnswerJournal j = AnswerJournal.open(dir, Duration.ZERO)) {
      j.append(entry(1, true));
      j.append(entry(2, true));
    }
    Path file = segments(dir).getFirst();
    byte[] whole = Files.readAllBytes(file);
    // The second record cut short, as a crash during its write leaves it.
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 5));
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      assertEquals(List.of(entry(1, true)), j.recovered());
    }
  }

  @Test
  void open_stopsAtARecordThatFailsItsChecksum_andAtZeroedSpace(@TempDir Path dir)
      throws IOException {
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      j.append(entry(1, false));
      j.append(entry(2, false));
    }
    Path file = segments(dir).getFirst();
    byte[] b = Files.readAllBytes(file);
    b[b.length - 3] ^= 0x40; // a bit of the second record's payload
    Files.write(file, b);
    Files.write(file, new byte[64], StandardOpenOption.APPEND);
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      assertEquals(List.of(entry(1, false)), j.recovered());
    }
  }

  /**
   * Ten bytes garbled in the middle of a segment lost the 26 answers after them at the next
   * start (13 of 40 were replayed), though each record carries its own checksum.
   */
  @Test
  void open_readsOnPastADamagedRecord(@TempDir Path dir) throws IOException {
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      for (int i = 1; i <= 4; i++) {
        j.append(entry(i, i % 2 == 0));
      }
    }
    Path file = segments(dir).getFirst();
    byte[] b = Files.readAllBytes(file);
    int second = Records.encode(entry(1, false)).capacity();
    int third = second + Records.encode(entry(2, true)).capacity();
    for (int i = second + 12; i < second + 22; i++) {
      b[i] ^= (byte) 0xff; // inside the second record's payload
    }
    b[third + 9] ^= 0x01; // and the third's: its first text's length
    Files.write(file, b);
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      assertEquals(List.of(entry(1, false), entry(4, true)), j.recovered());
    }
    assertTrue(Files.exists(file.resolveSibling(file.getFileName() + ".damaged")),
        "the damaged file is kept for a person to read");
  }

  @Test
  void release_deletesOnlySegmentsWhoseEntriesAreAllIndexed(@TempDir Path dir)
      throws IOException {
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      AnswerJournal.Ticket a = j.append(entry(1, true));
      AnswerJournal.Ticket b = j.append(entry(2, true));
      j.indexed(a);
      AnswerJournal.Checkpoint first = j.checkpoint(); // seals the segment holding a and b
      j.release(first);
      assertEquals(2, segments(dir).size(), "b is not indexed: its segment must stay");
      assertEquals(0, j.unflushed(), "sealing forces the segment");

      j.indexed(b);
      j.append(entry(3, true));
      AnswerJournal.Checkpoint second = j.checkpoint();
      j.release(second);
      List<Path> left = segments(dir);
      assertEquals(2, left.size(), left.toString()); // entry 3's sealed segment and a new one
    }
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      assertEquals(List.of(entry(3, true)), j.recovered());
      j.discardRecovered();
    }
    assertEquals(List.of(), segments(dir), "a clean close leaves no empty segment behind");
  }

  /**
   * With its directory removed, the journal appended on into a file no longer in any directory
   * and could never begin a segment again, so every later answer rested on the index alone.
   */
  @Test
  void checkpoint_afterTheDirectoryWasRemoved_makesItAgain(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("journal");
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      j.indexed(j.append(entry(1, true)));
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
      j.append(entry(2, true)); // into the removed file: it is indexed, and committed, meanwhile
      j.release(j.checkpoint());
      assertTrue(Files.isDirectory(dir));
      j.append(entry(3, true));
      j.flush();
    }
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      assertEquals(List.of(entry(3, true)), j.recovered());
    }
  }

  @Test
  void checkpoint_withNothingAppended_startsNoSegment(@TempDir Path dir) throws IOException {
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      j.release(j.checkpoint());
      j.release(j.checkpoint());
      assertEquals(1, segments(dir).size());
    }
  }

  @Test
  void append_afterClose_fails(@TempDir Path dir) {
    AnswerJournal j = AnswerJournal.open(dir, NEVER);
    j.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> j.append(entry(1, true)));
    assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
  }

  @Test
  void open_numbersNewSegmentsAfterTheOldOnes(@TempDir Path dir) throws IOException {
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      j.append(entry(1, true));
    }
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      j.append(entry(2, true));
    }
    try (AnswerJournal j = AnswerJournal.open(dir, NEVER)) {
      assertEquals(List.of(entry(1, true), entry(2, true)), j.recovered());
    }
  }
}
