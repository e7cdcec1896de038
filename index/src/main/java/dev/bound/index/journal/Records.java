package dev.bound.index.journal;

import dev.bound.index.Entry;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The byte layout of the journal. A record is its payload's length (4 bytes), the CRC32 of the
 * payload (4 bytes), then the payload: a version byte, the entry's texts as length-prefixed UTF-8,
 * its creation time, and its vector (a count of -1 when the entry has none). All big-endian.
 */
final class Records {
  static final int HEADER_BYTES = 8;
  private static final byte VERSION = 1;

  private Records() {}

  /**
   * What a segment file holds.
   *
   * @param entries the records read, in the order they were appended
   * @param ignoredBytes bytes that were not part of an intact record: a record torn by a crash
   *     at the end, or damage
   */
  record Read(List<Entry> entries, long ignoredBytes) {}

  /** One record, header included, ready to be written. */
  static ByteBuffer encode(Entry e) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 2 * e.response().length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(0); // length, filled in below
      out.writeInt(0); // CRC32, filled in below
      out.writeByte(VERSION);
      for (String s : List.of(e.id(), e.scope(), e.exactKey(), e.prompt(), e.model(),
          e.response(), e.tenant())) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
      }
      out.writeLong(e.createdMillis());
      float[] v = e.vector();
      out.writeInt(v == null ? -1 : v.length);
      if (v != null) {
        for (float f : v) {
          out.writeFloat(f);
        }
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex); // a byte array does not fail
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray());
    int length = buf.capacity() - HEADER_BYTES;
    CRC32 crc = new CRC32();
    crc.update(buf.array(), HEADER_BYTES, length);
    buf.putInt(0, length).putInt(4, (int) crc.getValue());
    return buf;
  }

  /**
   * Reads every intact record of a segment. A record that is incomplete or fails its checksum is
   * skipped, and reading goes on at the next offset where an intact record begins: damage in
   * the middle of a file once hid every record after it, though each has its own checksum. The
   * bytes skipped are counted as ignored, never an error; a record torn by a crash is the usual
   * one, at the end.
   */
  static Read read(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    List<Entry> entries = new ArrayList<>();
    long ignored = 0;
    int at = 0;
    while (b.length - at >= HEADER_BYTES) {
      Entry e = recordAt(b, at);
      if (e != null) {
        entries.add(e);
        at += HEADER_BYTES + ByteBuffer.wrap(b).getInt(at);
        continue;
      }
      int next = nextRecord(b, at + 1);
      ignored += next - at;
      at = next;
    }
    return new Read(entries, ignored + (b.length - at));
  }

  /**
   * The entry of the intact record that begins at {@code start}, or null: too short, a length
   * that is zero (unwritten file space) or runs past the end, a wrong checksum, or a payload
   * that does not decode.
   */
  private static Entry recordAt(byte[] b, int start) {
    ByteBuffer buf = ByteBuffer.wrap(b);
    int length = buf.getInt(start);
    if (length <= 0 || length > b.length - start - HEADER_BYTES
        || buf.getInt(start + 4) != crc(b, start + HEADER_BYTES, length)) {
      return null;
    }
    return decodeOrNull(b, start + HEADER_BYTES, length);
  }

  /** Where the next intact record begins at or after {@code from}; the file's length if none. */
  private static int nextRecord(byte[] b, int from) {
    for (int i = from; b.length - i > HEADER_BYTES; i++) {
      // The version byte first: it rules out almost every offset before a checksum is summed.
      if (b[i + HEADER_BYTES] == VERSION && recordAt(b, i) != null) {
        return i;
      }
    }
    return b.length;
  }

  private static int crc(byte[] b, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(b, offset, length);
    return (int) crc.getValue();
  }

  /** The entry in an intact payload, or null if it is of an unknown version or malformed. */
  private static Entry decodeOrNull(byte[] b, int offset, int length) {
    try {
      return decode(b, offset, length);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Entry decode(byte[] b, int offset, int length) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(b, offset, length));
    if (in.readByte() != VERSION) {
      return null;
    }
    String[] s = new String[7];
    for (int i = 0; i < s.length; i++) {
      byte[] text = new byte[in.readInt()];
      in.readFully(text);
      s[i] = new String(text, StandardCharsets.UTF_8);
    }
    long created = in.readLong();
    int dims = in.readInt();
    float[] v = dims < 0 ? null : new float[dims];
    for (int i = 0; v != null && i < dims; i++) {
      v[i] = in.readFloat();
    }
    return new Entry(s[0], s[1], s[2], s[3], v, s[4], s[5], created, s[6]);
  }
}
