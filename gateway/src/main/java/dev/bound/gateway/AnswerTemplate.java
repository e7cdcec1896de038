package dev.bound.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * A stored answer's JSON written once, with the two values that change each time it is served,
 * its {@code id} and its {@code created} time, cut out. Filling them in gives, byte for byte,
 * what writing the answer with them set would give, without copying the tree and writing it
 * again: that copy and write were a quarter of an exact hit's Java samples under load.
 */
final class AnswerTemplate {
  /** Written where the id goes, then looked for; the answer's own text may not contain it. */
  private static final String ID_MARK = "bound-template-id-3f9c2a7e51d0";
  /** Written where the creation time goes; no answer is made 230 million years from now. */
  private static final long CREATED_MARK = 7_318_349_394_477_056L;

  private final byte[] bytes;
  /** Where the first and the second cut-out value start and end, the first being earlier. */
  private final int firstAt;
  private final int firstEnd;
  private final int secondAt;
  private final int secondEnd;
  /** Whether the id comes first. */
  private final boolean idFirst;

  private AnswerTemplate(byte[] bytes, int idAt, int createdAt) {
    this.bytes = bytes;
    this.idFirst = idAt < createdAt;
    int idEnd = idAt + ID_MARK.length();
    int createdEnd = createdAt + Long.toString(CREATED_MARK).length();
    this.firstAt = idFirst ? idAt : createdAt;
    this.firstEnd = idFirst ? idEnd : createdEnd;
    this.secondAt = idFirst ? createdAt : idAt;
    this.secondEnd = idFirst ? createdEnd : idEnd;
  }

  /**
   * The answer's template, or null when the marks cannot be told apart from the answer's own
   * text (it quotes them), and the answer must be written the long way.
   */
  static AnswerTemplate of(ObjectNode answer) {
    ObjectNode marked = answer.deepCopy();
    Answers.stamp(marked, ID_MARK, CREATED_MARK);
    byte[] b = Json.bytes(marked);
    String idField = "\"id\":\"";
    String createdField = "\"created\":";
    // One byte per char, so that positions in the text are positions in the bytes.
    String text = new String(b, StandardCharsets.ISO_8859_1);
    int id = only(text, idField + ID_MARK + "\"");
    int created = only(text, createdField + CREATED_MARK);
    if (id < 0 || created < 0) {
      return null;
    }
    return new AnswerTemplate(b, id + idField.length(), created + createdField.length());
  }

  /** The answer's bytes with this id (plain ASCII, as Bound makes them) and creation time. */
  byte[] fill(String id, long created) {
    byte[] i = ascii(id);
    byte[] c = ascii(Long.toString(created));
    byte[] first = idFirst ? i : c;
    byte[] second = idFirst ? c : i;
    byte[] out = new byte[bytes.length - (firstEnd - firstAt) - (secondEnd - secondAt)
        + first.length + second.length];
    int o = 0;
    System.arraycopy(bytes, 0, out, o, firstAt);
    o += firstAt;
    System.arraycopy(first, 0, out, o, first.length);
    o += first.length;
    System.arraycopy(bytes, firstEnd, out, o, secondAt - firstEnd);
    o += secondAt - firstEnd;
    System.arraycopy(second, 0, out, o, second.length);
    o += second.length;
    System.arraycopy(bytes, secondEnd, out, o, bytes.length - secondEnd);
    return out;
  }

  /** The bytes held, for weighing. */
  int size() {
    return bytes.length;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Where {@code part} occurs in {@code text} if it occurs exactly once, else -1. */
  private static int only(String text, String part) {
    int at = text.indexOf(part);
    return at >= 0 && text.indexOf(part, at + 1) < 0 ? at : -1;
  }
}
