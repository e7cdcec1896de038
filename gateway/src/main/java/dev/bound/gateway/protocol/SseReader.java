package dev.bound.gateway.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a server-sent event stream and hands each event to a listener as it completes, with its
 * raw bytes so that it can be passed on unchanged. Only {@code event:} and {@code data:} fields
 * are interpreted; comments and other fields stay in the raw bytes. A byte order mark before the
 * first line is skipped, as the SSE specification says.
 */
public final class SseReader {
  /**
   * One event.
   *
   * @param name the {@code event:} field, or null when absent
   * @param data the {@code data:} lines joined by line feeds, or "" when absent
   * @param raw the event's lines as received, ending in the blank line that closed it
   */
  public record Event(String name, String data, byte[] raw) {}

  /** Receives events in order. */
  public interface Listener {
    /** Takes one event; returns false to stop reading. */
    boolean onEvent(Event event) throws IOException;
  }

  private SseReader() {}

  /**
   * Reads until the stream ends or the listener says stop. An event cut off by the end of the
   * stream is not delivered.
   */
  public static void read(InputStream in, Listener listener) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream(512);
    StringBuilder data = new StringBuilder();
    String name = null;
    boolean hasData = false;
    byte[] line;
    boolean first = true;
    while ((line = readLine(in)) != null) {
      if (first) {
        first = false;
        line = withoutBom(line);
      }
      String text = new String(line, StandardCharsets.UTF_8);
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      if (!text.isEmpty()) {
        raw.write(line);
        raw.write('\n');
        if (text.startsWith("data:")) {
          if (hasData) {
            data.append('\n');
          }
          data.append(field(text, 5));
          hasData = true;
        } else if (text.startsWith("event:")) {
          name = field(text, 6);
        }
        continue;
      }
      if (raw.size() == 0) {
        continue;
      }
      raw.write('\n');
      boolean more = listener.onEvent(new Event(name, data.toString(), raw.toByteArray()));
      raw.reset();
      data.setLength(0);
      name = null;
      hasData = false;
      if (!more) {
        return;
      }
    }
  }

  /** A first line less the UTF-8 byte order mark it may begin with, which the spec skips. */
  private static byte[] withoutBom(byte[] line) {
    return line.length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB
        && line[2] == (byte) 0xBF ? java.util.Arrays.copyOfRange(line, 3, line.length) : line;
  }

  /** The value of a field: what follows the colon, less one leading space. */
  private static String field(String line, int colon) {
    String v = line.substring(colon);
    return v.startsWith(" ") ? v.substring(1) : v;
  }

  /** One line without its line feed; null at the end of the stream. */
  private static byte[] readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        return line.toByteArray();
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toByteArray();
  }
}
