package dev.bound.index;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The hashed terms the index searches on. */
final class Keys {

  private Keys() {}

  /**
   * Hash of (scope, exactKey). The scope's length goes in first so that no two different pairs
   * can feed the digest the same bytes (e.g. "ab"+"c" versus "a"+"bc").
   */
  static String exact(String scope, String exactKey) {
    MessageDigest md = sha256();
    byte[] s = scope.getBytes(StandardCharsets.UTF_8);
    md.update(intBytes(s.length));
    md.update(s);
    md.update(exactKey.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(md.digest());
  }

  /** Hash of the scope, so the indexed term stays short whatever the caller's scope looks like. */
  static String scope(String scope) {
    return HexFormat.of().formatHex(sha256().digest(scope.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The Solr id of an entry's pointer: a hash, because a real-time get of several ids splits
   * them at commas, and an entry id may hold any character.
   */
  static String entry(String entryId) {
    return "entry/" + HexFormat.of().formatHex(
        sha256().digest(entryId.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] intBytes(int n) {
    return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
