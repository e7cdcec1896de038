package dev.bound.index.docs;

import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One version of a bound document: an approved answer, the canonical questions it answers, the
 * scope it may be served in, and an Ed25519 signature over all of it. Times are epoch millis (UTC):
 * integers sign unambiguously, where a date string has many spellings of one instant.
 *
 * <p>{@code createdMillis} is when version 1 was created and is the same in every version; {@code
 * updatedMillis} is when this version's record was last written (its edit, or the moment it was
 * superseded). {@code author} is who made this version. {@code provenance} may be null. {@code
 * signature} is the unpadded base64url Ed25519 signature, by the key {@code kid}, over the RFC 8785
 * canonical JSON of every other field.
 */
public record Document(
    String id,
    int version,
    List<String> questions,
    String answer,
    DocScope scope,
    String author,
    long createdMillis,
    long updatedMillis,
    Provenance provenance,
    DocStatus status,
    String kid,
    String signature) {

  static final int SIGNATURE_BYTES = 64;

  /** Validates every field with a message that names it, and copies the question list. */
  public Document {
    Draft content =
        new Draft(
            id,
            version,
            questions,
            answer,
            scope,
            author,
            createdMillis,
            updatedMillis,
            provenance,
            status);
    questions = content.questions();
    Objects.requireNonNull(kid, "kid must not be null");
    if (kid.length() > 64 || !Checks.URL_SAFE.matcher(kid).matches()) {
      throw new IllegalArgumentException(
          "kid must be 1-64 of A-Za-z0-9_- but was '" + Draft.abbreviate(kid) + "'");
    }
    Objects.requireNonNull(signature, "signature must not be null");
    if (!isCanonicalSignature(signature)) {
      throw new IllegalArgumentException(
          "signature must be the unpadded base64url form of " + SIGNATURE_BYTES + " bytes");
    }
  }

  /** This version as JSON, signature included: the file form that {@code bound verify} reads. */
  public String toJson() {
    return new String(DocJson.fileBytes(this), java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Parses one document in the form of {@link #toJson}; the signature is not checked here.
   *
   * @throws IllegalArgumentException when the text is not such a document
   */
  public static Document fromJson(String json) {
    return DocJson.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** True for the one status that is served. */
  public boolean isActive() {
    return status == DocStatus.ACTIVE;
  }

  /** The signed content without the key id and signature. */
  Draft draft() {
    return new Draft(
        id,
        version,
        questions,
        answer,
        scope,
        author,
        createdMillis,
        updatedMillis,
        provenance,
        status);
  }

  /** Names the document without its text, which may be long or private. */
  @Override
  public String toString() {
    return "Document[id="
        + id
        + ", version="
        + version
        + ", status="
        + status
        + ", scope="
        + scope.model()
        + "/"
        + scope.namespace()
        + ", questions="
        + questions.size()
        + ", answer="
        + answer.length()
        + " chars"
        + ", author="
        + author
        + ", kid="
        + kid
        + "]";
  }

  /**
   * Decoders ignore the spare low bits of the last base64 character, so two spellings can carry one
   * signature; only the canonical spelling is accepted, so that every changed character of a
   * signature changes the signature.
   */
  private static boolean isCanonicalSignature(String s) {
    try {
      byte[] raw = Base64.getUrlDecoder().decode(s);
      return raw.length == SIGNATURE_BYTES
          && Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
