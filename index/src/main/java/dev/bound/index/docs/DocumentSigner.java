package dev.bound.index.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed25519 key pair that signs bound documents, created on first use in a directory of the
 * caller's choosing, and the static checks anyone can run with only the public key (a JWK).
 */
public final class DocumentSigner {

  private static final Logger log = LoggerFactory.getLogger(DocumentSigner.class);

  /** PKCS#8 private key in PEM, readable by its owner only. */
  static final String PRIVATE_FILE = "ed25519-private.pem";

  /** The public key as a JWK, for anyone to read. */
  static final String PUBLIC_FILE = "ed25519-public.jwk";

  // An Ed25519 SubjectPublicKeyInfo is this fixed DER header followed by the 32-byte key.
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
  /** 2^255 − 19, the prime of Ed25519's field. */
  private static final BigInteger FIELD = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  /**
   * The y coordinates of the curve's points of order 1, 2, 4 and 8 (each y holds two points,
   * x and −x). The two of order 8 were checked by multiplying each point by 8.
   */
  private static final Set<BigInteger> SMALL_ORDER_Y = Set.of(BigInteger.ZERO, BigInteger.ONE,
      FIELD.subtract(BigInteger.ONE),
      new BigInteger("05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826", 16),
      new BigInteger("7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7", 16));
  private static final int KEY_BYTES = 32;
  private static final int KID_CHARS = 16;

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String kid;

  private DocumentSigner(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.kid = kidOf(publicKey);
  }

  /**
   * Loads the key pair in {@code keyDir}, or creates one there if it holds none; fails if the
   * directory holds a private key without its public key or two keys that do not belong together.
   */
  public static DocumentSigner open(Path keyDir) {
    Objects.requireNonNull(keyDir, "keyDir must not be null");
    Path dir = keyDir.toAbsolutePath().normalize();
    Path priv = dir.resolve(PRIVATE_FILE);
    Path pub = dir.resolve(PUBLIC_FILE);
    try {
      Files.createDirectories(dir);
      if (!Files.exists(priv)) {
        return create(dir, priv, pub);
      }
      if (!Files.exists(pub)) {
        // The public key is always written first, so this is not a crash mid-creation.
        throw new IllegalStateException(
            "Key directory "
                + dir
                + " holds "
                + PRIVATE_FILE
                + " but not "
                + PUBLIC_FILE
                + "; restore it from a backup, or move "
                + PRIVATE_FILE
                + " away to create a new key pair (documents signed with the old key will then"
                + " fail verification).");
      }
      warnIfReadableByOthers(priv);
      PrivateKey privateKey = readPrivate(Files.readString(priv, StandardCharsets.US_ASCII));
      PublicKey publicKey = fromJwk(Files.readString(pub, StandardCharsets.UTF_8));
      if (!pairs(privateKey, publicKey)) {
        throw new IllegalStateException(
            "Key directory "
                + dir
                + ": "
                + PRIVATE_FILE
                + " and "
                + PUBLIC_FILE
                + " are not one key pair; restore the matching files from a backup.");
      }
      DocumentSigner signer = new DocumentSigner(privateKey, publicKey);
      log.info("Loaded document signing key {} from {}", signer.kid, dir);
      return signer;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not open the signing keys in " + dir, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Key directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The key id: the first 16 characters of the public key's RFC 7638 JWK thumbprint. */
  public String kid() {
    return kid;
  }

  /** The public key that verifies this signer's documents. */
  public PublicKey publicKey() {
    return publicKey;
  }

  /** The public key as a JWK ({@code kty} OKP, {@code crv} Ed25519, with kid, use and alg). */
  public String publicJwk() {
    return jwk(publicKey);
  }

  /** The public key as a JWK Set, the body of {@code /.well-known/bound-keys}. */
  public String jwkSet() {
    return jwkSet(List.of(publicKey));
  }

  /** Signs a draft with this key; the result verifies with {@link #publicKey()}. */
  Document sign(Draft draft) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(privateKey);
      s.update(DocJson.signedBytes(draft, kid));
      String sig = Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
      return new Document(
          draft.id(),
          draft.version(),
          draft.questions(),
          draft.answer(),
          draft.scope(),
          draft.author(),
          draft.createdMillis(),
          draft.updatedMillis(),
          draft.provenance(),
          draft.status(),
          kid,
          sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  // ---- verification, usable without a private key --------------------------------------------

  /**
   * True when {@code key} is the key the document names ({@code kid}) and its signature covers
   * exactly the document's content; any changed field or signature character makes it false.
   */
  public static boolean verify(Document document, PublicKey key) {
    Objects.requireNonNull(document, "document must not be null");
    Objects.requireNonNull(key, "key must not be null");
    if (!kidOf(key).equals(document.kid()) || smallOrder(raw(key))) {
      return false;
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(DocJson.signedBytes(document.draft(), document.kid()));
      return s.verify(Base64.getUrlDecoder().decode(document.signature()));
    } catch (InvalidKeyException | SignatureException e) {
      return false; // a malformed signature or a key of another type simply does not verify
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available in this JDK", e);
    }
  }

  /** As {@link #verify(Document, PublicKey)}, with the key given as a JWK. */
  public static boolean verify(Document document, String jwk) {
    return verify(document, fromJwk(jwk));
  }

  /** The key id of any Ed25519 public key, as {@link #kid()} computes it. */
  public static String kidOf(PublicKey key) {
    ObjectNode members = JsonNodeFactory.instance.objectNode();
    members.put("crv", "Ed25519");
    members.put("kty", "OKP");
    members.put("x", b64(raw(key)));
    byte[] thumbprint = sha256(Jcs.bytes(members));
    return b64(thumbprint).substring(0, KID_CHARS);
  }

  /** The JWK of an Ed25519 public key. */
  public static String jwk(PublicKey key) {
    return jwkNode(key).toString();
  }

  /** A JWK Set ({@code {"keys":[...]}}) of Ed25519 public keys, in the order given. */
  public static String jwkSet(Collection<PublicKey> keys) {
    ObjectNode set = JsonNodeFactory.instance.objectNode();
    ArrayNode arr = set.putArray("keys");
    keys.forEach(k -> arr.add(jwkNode(k)));
    return set.toString();
  }

  /**
   * Reads an Ed25519 public key from a JWK; a {@code kid} in it, if any, must be the key's own.
   *
   * @throws IllegalArgumentException if the JWK is not an Ed25519 public key
   */
  public static PublicKey fromJwk(String jwk) {
    Objects.requireNonNull(jwk, "jwk must not be null");
    return fromJwkNode(DocJson.tree(jwk));
  }

  /** Reads every key of a JWK Set, failing on the first that is not an Ed25519 public key. */
  public static List<PublicKey> fromJwkSet(String jwkSet) {
    Objects.requireNonNull(jwkSet, "jwkSet must not be null");
    JsonNode keys = DocJson.tree(jwkSet).get("keys");
    if (keys == null || !keys.isArray()) {
      throw new IllegalArgumentException("a JWK Set must have a keys array");
    }
    List<PublicKey> out = new ArrayList<>();
    keys.forEach(k -> out.add(fromJwkNode(k)));
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------------------------------------

  private static DocumentSigner create(Path dir, Path priv, Path pub) throws IOException {
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available in this JDK", e);
    }
    // Public first: a crash before the private key lands leaves an orphan public key, which the
    // next start simply replaces; the reverse order would leave a key nobody can verify.
    DurableFiles.write(pub, (jwk(pair.getPublic()) + "\n").getBytes(StandardCharsets.UTF_8));
    DurableFiles.writeOwnerOnly(priv, pem(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII));
    if (!DurableFiles.isPosix(priv)) {
      log.warn("{} is on a file system without POSIX permissions; restrict access to it", priv);
    }
    DocumentSigner signer = new DocumentSigner(pair.getPrivate(), pair.getPublic());
    log.info("Created document signing key {} in {}", signer.kid, dir);
    return signer;
  }

  private static ObjectNode jwkNode(PublicKey key) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("kty", "OKP");
    n.put("crv", "Ed25519");
    n.put("x", b64(raw(key)));
    n.put("kid", kidOf(key));
    n.put("use", "sig");
    n.put("alg", "EdDSA");
    return n;
  }

  private static PublicKey fromJwkNode(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("a JWK must be a JSON object");
    }
    if (!"OKP".equals(n.path("kty").asText(null))
        || !"Ed25519".equals(n.path("crv").asText(null))) {
      throw new IllegalArgumentException("the JWK is not an Ed25519 key (kty OKP, crv Ed25519)");
    }
    if (n.has("d")) {
      throw new IllegalArgumentException("the JWK holds a private key; pass the public key only");
    }
    byte[] x;
    try {
      x = Base64.getUrlDecoder().decode(n.path("x").asText(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the JWK's x is not base64url", e);
    }
    if (x.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "the JWK's x must be " + KEY_BYTES + " bytes but has " + x.length);
    }
    if (smallOrder(x)) {
      throw new IllegalArgumentException("the JWK's x is a point of small order, a key that"
          + " verifies signatures nobody made; it is never a real signing key");
    }
    byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + KEY_BYTES);
    System.arraycopy(x, 0, spki, SPKI_PREFIX.length, KEY_BYTES);
    PublicKey key;
    try {
      key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the JWK's x is not an Ed25519 public key", e);
    }
    if (n.has("kid") && !kidOf(key).equals(n.get("kid").asText())) {
      throw new IllegalArgumentException(
          "the JWK's kid " + n.get("kid").asText() + " is not its key's own (" + kidOf(key) + ")");
    }
    return key;
  }

  /**
   * Whether an encoded public key (y little-endian, x's sign in the top bit) is one of the eight
   * points of small order. With such a key A, a signature whose R is another of them and whose S
   * is 0 passes the check [S]B = R + [k]A for any text, and the JDK's Ed25519 does not refuse
   * them (RFC 8032 does not require it). They are the points with y 0, 1, p − 1 and the two y of
   * the points of order 8; a y from p up is read modulo p, as a lenient decoder would.
   */
  static boolean smallOrder(byte[] encoded) {
    byte[] be = new byte[KEY_BYTES];
    for (int i = 0; i < KEY_BYTES; i++) {
      be[i] = encoded[KEY_BYTES - 1 - i];
    }
    be[0] &= 0x7f;
    return SMALL_ORDER_Y.contains(new BigInteger(1, be).mod(FIELD));
  }

  private static byte[] raw(PublicKey key) {
    byte[] spki = key.getEncoded();
    if (spki == null
        || spki.length != SPKI_PREFIX.length + KEY_BYTES
        || !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
    }
    return Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length);
  }

  private static boolean pairs(PrivateKey priv, PublicKey pub) {
    try {
      byte[] probe = "bound key pair check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(priv);
      s.update(probe);
      byte[] sig = s.sign();
      s.initVerify(pub);
      s.update(probe);
      return s.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static String pem(PrivateKey key) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
  }

  private static PrivateKey readPrivate(String pem) {
    String body =
        pem.replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "")
            .strip();
    try {
      byte[] der = Base64.getMimeDecoder().decode(body);
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(PRIVATE_FILE + " is not a PEM Ed25519 private key", e);
    }
  }

  private static void warnIfReadableByOthers(Path priv) throws IOException {
    if (!DurableFiles.isPosix(priv)) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(priv);
    perms.retainAll(
        Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE));
    if (!perms.isEmpty()) {
      log.warn("{} is accessible to other users ({}); it should be mode 600", priv, perms);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
