package dev.bound.index.docs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a document's signature covers except the key id: the content a signer signs. Its
 * constructor holds the checks {@link Document} shares, so a draft is valid before it is signed.
 */
record Draft(
    String id,
    int version,
    List<String> questions,
    String answer,
    DocScope scope,
    String author,
    long createdMillis,
    long updatedMillis,
    Provenance provenance,
    DocStatus status) {

  static final int MAX_QUESTIONS = 32;
  static final int MAX_QUESTION_LENGTH = 4096;
  static final int MAX_ANSWER_LENGTH = 1_000_000;
  static final int MAX_NAME_LENGTH = 256;

  // Ids name directories on disk, so they are held to a fixed, path-safe shape.
  static final Pattern ID = Pattern.compile("doc_[A-Za-z0-9_-]{20}");

  Draft {
    Objects.requireNonNull(id, "id must not be null");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "id must be doc_ followed by 20 of A-Za-z0-9_- but was '" + abbreviate(id) + "'");
    }
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1 but was " + version);
    }
    questions = checkQuestions(questions);
    Checks.nonBlank(answer, "answer", MAX_ANSWER_LENGTH);
    Objects.requireNonNull(scope, "scope must not be null");
    Checks.nonBlank(author, "author", MAX_NAME_LENGTH);
    Checks.millis(createdMillis, "createdMillis");
    Checks.millis(updatedMillis, "updatedMillis");
    if (updatedMillis < createdMillis) {
      throw new IllegalArgumentException(
          "updatedMillis must be >= createdMillis ("
              + createdMillis
              + ") but was "
              + updatedMillis);
    }
    Objects.requireNonNull(status, "status must not be null");
  }

  private static List<String> checkQuestions(List<String> questions) {
    Objects.requireNonNull(questions, "questions must not be null");
    if (questions.isEmpty()) {
      throw new IllegalArgumentException("questions must not be empty");
    }
    if (questions.size() > MAX_QUESTIONS) {
      throw new IllegalArgumentException(
          "questions must have at most " + MAX_QUESTIONS + " entries but has " + questions.size());
    }
    // A copy first, so a caller's list cannot change between the checks and the copy kept.
    List<String> copy = new ArrayList<>(questions);
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < copy.size(); i++) {
      String name = "questions[" + i + "]";
      Checks.nonBlank(copy.get(i), name, MAX_QUESTION_LENGTH);
      Integer earlier = seen.putIfAbsent(DocumentIndex.normalize(copy.get(i)), i);
      if (earlier != null) {
        throw new IllegalArgumentException(name + " repeats questions[" + earlier + "]");
      }
    }
    return List.copyOf(copy);
  }

  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
