package dev.bound.gateway.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a server-sent event stream and hands each event to a listener as it completes, with its
 * bytes so that it can be passed on. Only {@code event:} and {@code data:} fields are
 * interpreted; comments and other fields stay in the raw bytes. Lines may end in LF, CRLF or a
 * bare CR, and a byte order mark before the first line is skipped, as the SSE specification says.
 */
public final class SseReader {
  /**
   * The most one event may hold, its lines together: a runaway upstream line would otherwise grow
   * Bound's memory without end. Far above any real event, a whole Responses answer in its
   * {@code response.completed} included.
   */
  public static final int MAX_EVENT_BYTES = 32 << 20;

  /** How much is asked of the stream at a time. */
  private static final int BLOCK = 8192;

  /**
   * One event.
   *
   * @param name the {@code event:} field, or null when absent
   * @param data the {@code data:} lines joined by line feeds, or "" when absent
   * @param raw the event's lines as received, each ended by a line feed, and the blank line that
   *     closed it
   */
  public record Event(String name, String data, byte[] raw) {}

  /** Receives events in order. */
  public interface Listener {
    /** Takes one event; returns false to stop reading. */
    boolean onEvent(Event event) throws IOException;
  }

  /** The stream held an event larger than the reader's limit; nothing of it was delivered. */
  public static final class EventTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    EventTooLargeException(int limit) {
      super(tooLarge(limit));
    }
  }

  /** Why an answer with an event over {@code limit} bytes is not stored, in words. */
  public static String tooLarge(int limit) {
    return "an upstream event is larger than " + (limit >= 1 << 20 ? (limit >> 20) + " MiB"
        : limit + " bytes");
  }

  private SseReader() {}

  /**
   * Reads until the stream ends or the listener says stop. An event cut off by the end of the
   * stream is not delivered.
   *
   * @throws EventTooLargeException when one event exceeds {@link #MAX_EVENT_BYTES}
   */
  public static void read(InputStream in, Listener listener) throws IOException {
    read(in, listener, MAX_EVENT_BYTES);
  }

  /** As {@link #read(InputStream, Listener)}, with a limit of {@code maxEventBytes}. */
  static void read(InputStream in, Listener listener, int maxEventBytes) throws IOException {
    new Parser(listener, maxEventBytes).run(in);
  }

  /** The state of one stream's reading. */
  private static final class Parser {
    private final Listener listener;
    private final int max;
    private ByteArrayOutputStream raw = new ByteArrayOutputStream(512);
    private final StringBuilder data = new StringBuilder();
    private String name;
    private boolean hasData;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean firstLine = true;
    /** The last line ended in a CR, so a LF right after it ends nothing more. */
    private boolean afterCr;

    Parser(Listener listener, int max) {
      this.listener = listener;
      this.max = max;
    }

    void run(InputStream in) throws IOException {
      byte[] block = new byte[BLOCK];
      int n;
      while ((n = in.read(block)) >= 0) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          byte b = block[i];
          if (afterCr) {
            afterCr = false;
            if (b == '\n') {
              start = i + 1;
              continue;
            }
          }
          if (b == '\n' || b == '\r') {
            append(block, start, i - start);
            afterCr = b == '\r';
            start = i + 1;
            if (!endLine()) {
              return;
            }
          }
        }
        append(block, start, n - start);
      }
    }

    private void append(byte[] b, int off, int len) throws EventTooLargeException {
      if (len == 0) {
        return;
      }
      if ((long) raw.size() + lineLength + len > max) {
        throw new EventTooLargeException(max);
      }
      if (lineLength + len > line.length) {
        line = Arrays.copyOf(line, (int) Math.min(max, Math.max(line.length * 2L,
            lineLength + len)));
      }
      System.arraycopy(b, off, line, lineLength, len);
      lineLength += len;
    }

    /** Takes the line just ended; returns false when the listener said stop. */
    private boolean endLine() throws IOException {
      int from = 0;
      if (firstLine) {
        firstLine = false;
        if (lineLength >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB
            && line[2] == (byte) 0xBF) {
          from = 3;
        }
      }
      int length = lineLength - from;
      lineLength = 0;
      if (length > 0) {
        String text = new String(line, from, length, StandardCharsets.UTF_8);
        raw.write(line, from, length);
        raw.write('\n');
        if (line.length > 64 * 1024) {
          line = new byte[256]; // a long line's room is not kept for the rest of the stream
        }
        if (text.startsWith("data:")) {
          if (hasData) {
            data.append('\n');
          }
          data.append(field(text, 5));
          hasData = true;
        } else if (text.startsWith("event:")) {
          name = field(text, 6);
        }
        return true;
      }
      if (raw.size() == 0) {
        return true;
      }
      raw.write('\n');
      boolean more = listener.onEvent(new Event(name, data.toString(), raw.toByteArray()));
      if (raw.size() > 64 * 1024) {
        raw = new ByteArrayOutputStream(512);
      } else {
        raw.reset();
      }
      data.setLength(0);
      name = null;
      hasData = false;
      return more;
    }
  }

  /** The value of a field: what follows the colon, less one leading space. */
  private static String field(String line, int colon) {
    String v = line.substring(colon);
    return v.startsWith(" ") ? v.substring(1) : v;
  }
}
