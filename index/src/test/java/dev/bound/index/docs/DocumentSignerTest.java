package dev.bound.index.docs;

import static dev.bound.index.docs.Fixtures.draft;
import static dev.bound.index.docs.Fixtures.id;
import static dev.bound.index.docs.Fixtures.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentSignerTest {

  @TempDir Path dir;

  private Document signed(DocumentSigner signer) {
    return signer.sign(draft(id('a'), 1, DocStatus.ACTIVE));
  }

  @Test
  void verify_signedDocument_roundTrip() {
    DocumentSigner signer = DocumentSigner.open(dir);
    Document d = signed(signer);
    assertEquals(signer.kid(), d.kid());
    assertTrue(DocumentSigner.verify(d, signer.publicKey()));
  }

  @Test
  void verify_tamperedAnswer_fails() {
    DocumentSigner signer = DocumentSigner.open(dir);
    Document d = signed(signer);
    String answer = d.answer();
    Document t = with(d, "answer", answer.substring(0, 5) + 'X' + answer.substring(6));
    assertFalse(DocumentSigner.verify(t, signer.publicKey()));
  }

  @Test
  void verify_tamperedQuestion_fails() {
    DocumentSigner signer = DocumentSigner.open(dir);
    Document d = signed(signer);
    Document t = with(d, "questions", List.of("How do I reset my passwort?", d.questions().get(1)));
    assertFalse(DocumentSigner.verify(t, signer.publicKey()));
  }

  @Test
  void verify_tamperedScope_fails() {
    DocumentSigner signer = DocumentSigner.open(dir);
    Document d = signed(signer);
    assertFalse(
        DocumentSigner.verify(
            with(d, "scope", new DocScope("gpt-4o-mini", "*")), signer.publicKey()));
    assertFalse(
        DocumentSigner.verify(with(d, "scope", new DocScope("*", "team-a")), signer.publicKey()));
  }

  @Test
  void verify_tamperedVersion_fails() {
    DocumentSigner signer = DocumentSigner.open(dir);
    assertFalse(DocumentSigner.verify(with(signed(signer), "version", 2), signer.publicKey()));
  }

  @Test
  void verify_tamperedStatus_fails() {
    DocumentSigner signer = DocumentSigner.open(dir);
    Document d = signed(signer);
    assertFalse(DocumentSigner.verify(with(d, "status", DocStatus.REVOKED), signer.publicKey()));
    assertFalse(DocumentSigner.verify(with(d, "status", DocStatus.SUPERSEDED), signer.publicKey()));
  }

  @Test
  void verify_tamperedProvenanceAuthorAndTimes_fail() {
    DocumentSigner signer = DocumentSigner.open(dir);
    Document d = signed(signer);
    assertFalse(DocumentSigner.verify(with(d, "provenance", null), signer.publicKey()));
    assertFalse(DocumentSigner.verify(with(d, "author", "mallory"), signer.publicKey()));
    assertFalse(
        DocumentSigner.verify(with(d, "updatedMillis", d.updatedMillis() + 1), signer.publicKey()));
  }

  @Test
  void verify_tamperedSignature_fails() {
    DocumentSigner signer = DocumentSigner.open(dir);
    Document d = signed(signer);
    char[] sig = d.signature().toCharArray();
    sig[40] = sig[40] == 'A' ? 'B' : 'A';
    assertFalse(DocumentSigner.verify(with(d, "signature", new String(sig)), signer.publicKey()));
  }

  @Test
  void verify_tamperedFileByte_failsAfterParsing() {
    DocumentSigner signer = DocumentSigner.open(dir);
    byte[] bytes = DocJson.fileBytes(signed(signer));
    String json = new String(bytes, StandardCharsets.UTF_8).replace("Security", "Secure!!");
    Document parsed = DocJson.parse(json.getBytes(StandardCharsets.UTF_8));
    assertFalse(DocumentSigner.verify(parsed, signer.publicKey()));
  }

  @Test
  void verify_otherKey_fails() {
    DocumentSigner signer = DocumentSigner.open(dir.resolve("a"));
    DocumentSigner other = DocumentSigner.open(dir.resolve("b"));
    assertNotEquals(signer.kid(), other.kid());
    assertFalse(DocumentSigner.verify(signed(signer), other.publicKey()));
  }

  @Test
  void verify_withPublishedJwk_roundTrip() throws Exception {
    DocumentSigner signer = DocumentSigner.open(dir);
    Document d = signed(signer);
    String jwk = signer.publicJwk();
    JsonNode n = DocJson.MAPPER.readTree(jwk);
    assertEquals("OKP", n.get("kty").asText());
    assertEquals("Ed25519", n.get("crv").asText());
    assertEquals(signer.kid(), n.get("kid").asText());
    assertEquals("sig", n.get("use").asText());
    assertEquals("EdDSA", n.get("alg").asText());
    assertEquals(43, n.get("x").asText().length());
    assertTrue(DocumentSigner.verify(d, jwk));
    assertEquals(signer.publicKey(), DocumentSigner.fromJwk(jwk));
    List<PublicKey> set = DocumentSigner.fromJwkSet(signer.jwkSet());
    assertEquals(List.of(signer.publicKey()), set);
  }

  @Test
  void fromJwk_kidNotItsOwn_refused() {
    DocumentSigner signer = DocumentSigner.open(dir);
    String jwk = signer.publicJwk().replace(signer.kid(), "AAAAAAAAAAAAAAAA");
    var e = assertThrows(IllegalArgumentException.class, () -> DocumentSigner.fromJwk(jwk));
    assertEquals(
        "the JWK's kid AAAAAAAAAAAAAAAA is not its key's own (" + signer.kid() + ")",
        e.getMessage());
  }

  @Test
  void kid_isRfc7638ThumbprintPrefix() throws Exception {
    // RFC 8037 appendix A.3: the thumbprint of this Ed25519 key.
    String jwk =
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
            + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
    assertEquals(
        "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k".substring(0, 16),
        DocumentSigner.kidOf(DocumentSigner.fromJwk(jwk)));
  }

  @Test
  void open_privateKeyFileIsOwnerOnly() throws Exception {
    DocumentSigner.open(dir);
    Path priv = dir.resolve(DocumentSigner.PRIVATE_FILE);
    assumeTrue(Files.getFileStore(priv).supportsFileAttributeView("posix"));
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(priv));
    assertTrue(Files.readString(priv).startsWith("-----BEGIN PRIVATE KEY-----\n"));
  }

  @Test
  void open_again_reusesTheKeyPair() {
    DocumentSigner first = DocumentSigner.open(dir);
    Document d = signed(first);
    DocumentSigner second = DocumentSigner.open(dir);
    assertEquals(first.kid(), second.kid());
    assertEquals(first.publicKey(), second.publicKey());
    assertTrue(DocumentSigner.verify(d, second.publicKey()));
    assertEquals(d.signature(), signed(second).signature()); // Ed25519 is deterministic
  }

  @Test
  void open_privateKeyWithoutPublicKey_refused() throws Exception {
    DocumentSigner.open(dir);
    Files.delete(dir.resolve(DocumentSigner.PUBLIC_FILE));
    var e = assertThrows(IllegalStateException.class, () -> DocumentSigner.open(dir));
    assertTrue(
        e.getMessage().contains("holds ed25519-private.pem but not ed25519-public.jwk"),
        e.getMessage());
  }

  @Test
  void open_mismatchedPublicKey_refused() throws Exception {
    DocumentSigner.open(dir.resolve("a"));
    DocumentSigner.open(dir.resolve("b"));
    Files.copy(
        dir.resolve("b").resolve(DocumentSigner.PUBLIC_FILE),
        dir.resolve("a").resolve(DocumentSigner.PUBLIC_FILE),
        StandardCopyOption.REPLACE_EXISTING);
    var e = assertThrows(IllegalStateException.class, () -> DocumentSigner.open(dir.resolve("a")));
    assertTrue(
        e.getMessage()
            .endsWith("are not one key pair; restore the matching files from a" + " backup."),
        e.getMessage());
  }

  /**
   * A key of small order verifies a signature nobody made: with the identity as the key and as
   * R, and S = 0, the Ed25519 check holds for any text, and the JDK does not refuse it.
   */
  @Test
  void smallOrderKeys_refusedAndNeverVerify() throws Exception {
    String identity = "0100000000000000000000000000000000000000000000000000000000000000";
    List<String> small = List.of(identity,
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        // the same points with x's sign bit set, and y = p and p + 1 (0 and 1 spelt long)
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    for (String hex : small) {
      String x = java.util.Base64.getUrlEncoder().withoutPadding()
          .encodeToString(java.util.HexFormat.of().parseHex(hex));
      var e = assertThrows(IllegalArgumentException.class, () -> DocumentSigner.fromJwk(
          "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\"}"), hex);
      assertTrue(e.getMessage().contains("small order"), e.getMessage());
    }
    // The forgery itself, with the key made the JDK's way: it does not verify.
    byte[] spki = java.util.HexFormat.of().parseHex("302a300506032b6570032100" + identity);
    PublicKey weak = java.security.KeyFactory.getInstance("Ed25519")
        .generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
    Document d = signed(DocumentSigner.open(dir));
    byte[] sig = new byte[64];
    sig[0] = 1; // R = the identity, S = 0
    Document forged = with(with(d, "kid", DocumentSigner.kidOf(weak)), "signature",
        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(sig));
    assertFalse(DocumentSigner.verify(forged, weak));
    // A real key is not caught by the check.
    assertFalse(DocumentSigner.smallOrder(java.util.Base64.getUrlDecoder().decode(
        DocJson.tree(DocumentSigner.open(dir).publicJwk()).get("x").asText())));
  }
}
