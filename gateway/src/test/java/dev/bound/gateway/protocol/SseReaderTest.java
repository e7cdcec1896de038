package dev.bound.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {
  private static List<SseReader.Event> read(String stream) throws IOException {
    List<SseReader.Event> events = new ArrayList<>();
    SseReader.read(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)),
        e -> events.add(e));
    return events;
  }

  @Test
  void read_namedAndUnnamedEvents_withTheirRawBytes() throws IOException {
    List<SseReader.Event> events = read("event: message_start\ndata: {\"a\":1}\n\n"
        + ": a comment\ndata: {\"b\":2}\n\n");
    assertEquals(2, events.size());
    assertEquals("message_start", events.get(0).name());
    assertEquals("{\"a\":1}", events.get(0).data());
    assertArrayEquals("event: message_start\ndata: {\"a\":1}\n\n"
        .getBytes(StandardCharsets.UTF_8), events.get(0).raw());
    assertNull(events.get(1).name());
    assertEquals("{\"b\":2}", events.get(1).data());
    assertEquals(": a comment\ndata: {\"b\":2}\n\n",
        new String(events.get(1).raw(), StandardCharsets.UTF_8));
  }

  @Test
  void read_joinsDataLines_acceptsCrLf_andSkipsExtraBlankLines() throws IOException {
    List<SseReader.Event> events = read("\n\ndata:first\r\ndata: second\r\n\r\n\n");
    assertEquals(1, events.size());
    assertEquals("first\nsecond", events.get(0).data());
  }

  @Test
  void read_dropsAnEventCutOffByTheEnd_andStopsWhenTold() throws IOException {
    assertEquals(1, read("data: whole\n\ndata: cut").size());
    List<String> seen = new ArrayList<>();
    SseReader.read(new ByteArrayInputStream("data: 1\n\ndata: 2\n\ndata: 3\n\n"
        .getBytes(StandardCharsets.UTF_8)), e -> {
          seen.add(e.data());
          return !e.data().equals("2");
        });
    assertEquals(List.of("1", "2"), seen);
  }

  @Test
  void read_skipsAByteOrderMarkBeforeTheFirstLine() throws IOException {
    List<SseReader.Event> events = read("\uFEFFevent: message_start\ndata: {\"a\":1}\n\n");
    assertEquals(1, events.size());
    assertEquals("message_start", events.get(0).name());
    assertEquals("event: message_start\ndata: {\"a\":1}\n\n",
        new String(events.get(0).raw(), StandardCharsets.UTF_8));
  }

  @Test
  void read_keepsAByteOrderMarkThatIsNotAtTheStart() throws IOException {
    List<SseReader.Event> events = read("data: 1\n\n\uFEFFdata: 2\n\n");
    assertEquals(2, events.size());
    assertEquals("", events.get(1).data());
  }

  @Test
  void read_bareCarriageReturnsEndLines() throws IOException {
    List<SseReader.Event> events = read("event: a\rdata: one\rdata: two\r\rdata: 3\r\n\r\n");
    assertEquals(2, events.size());
    assertEquals("a", events.get(0).name());
    assertEquals("one\ntwo", events.get(0).data());
    assertEquals("event: a\ndata: one\ndata: two\n\n",
        new String(events.get(0).raw(), StandardCharsets.UTF_8));
    assertEquals("3", events.get(1).data());
  }

  /** A CR at the end of one read and its LF at the start of the next end one line, not two. */
  @Test
  void read_crLfSplitAcrossReads_isOneLineEnd() throws IOException {
    byte[] bytes = "data: 1\r\ndata: 2\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    java.io.InputStream oneByteAtATime = new java.io.InputStream() {
      int i;

      @Override
      public int read() {
        return i < bytes.length ? bytes[i++] : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (i >= bytes.length) {
          return -1;
        }
        b[off] = bytes[i++];
        return 1;
      }
    };
    List<SseReader.Event> events = new ArrayList<>();
    SseReader.read(oneByteAtATime, events::add);
    assertEquals(1, events.size());
    assertEquals("1\n2", events.get(0).data());
  }

  /** A runaway line, or an event of many lines, fails the read once past the limit. */
  @Test
  void read_anEventOverTheLimit_failsWithoutDeliveringIt() throws IOException {
    List<String> seen = new ArrayList<>();
    String stream = "data: small\n\n" + "data: " + "x".repeat(2000) + "\n\n";
    SseReader.EventTooLargeException e = assertThrows(SseReader.EventTooLargeException.class,
        () -> SseReader.read(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)),
            ev -> seen.add(ev.data()), 1024));
    assertEquals("an upstream event is larger than 1024 bytes", e.getMessage());
    assertEquals(List.of("small"), seen);
    String manyLines = "data: 0123456789\n".repeat(100) + "\n";
    assertThrows(SseReader.EventTooLargeException.class,
        () -> SseReader.read(new ByteArrayInputStream(manyLines.getBytes(StandardCharsets.UTF_8)),
            ev -> true, 1024));
    assertEquals(1, read(manyLines).size(), "the default limit is far above this");
  }

  /** A line that never ends is cut at the limit instead of growing memory without end. */
  @Test
  void read_endlessLine_stopsReadingAtTheLimit() {
    long[] served = {0};
    java.io.InputStream endless = new java.io.InputStream() {
      @Override
      public int read() {
        served[0]++;
        return 'x';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) 'x');
        served[0] += len;
        return len;
      }
    };
    assertThrows(SseReader.EventTooLargeException.class,
        () -> SseReader.read(endless, ev -> true, 1 << 20));
    assertTrue(served[0] < (1 << 20) + 64 * 1024, served[0] + " bytes read");
  }
}
