package dev.bound.index.docs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The changes of one edit: who makes it, and each part to replace (null keeps the current one). An
 * edit with no changes still re-approves the document under its author's name and clears its review
 * flags. {@code expectedVersion} 0 edits whatever version is latest; any other value makes the edit
 * fail unless that is still the latest version (so two admins cannot overwrite each other unseen).
 */
public record DocEdit(
    String author,
    List<String> questions,
    String answer,
    DocScope scope,
    Provenance provenance,
    int expectedVersion) {

  /** Checks the author and the expected version; the content is checked when it is applied. */
  public DocEdit {
    Checks.nonBlank(author, "author", Draft.MAX_NAME_LENGTH);
    if (questions != null) {
      // Not List.copyOf: a null element should reach the check that names its index.
      questions = Collections.unmodifiableList(new ArrayList<>(questions));
    }
    if (expectedVersion < 0) {
      throw new IllegalArgumentException(
          "expectedVersion must be >= 0 (0 for any) but was " + expectedVersion);
    }
  }

  /** An edit by {@code author} that so far changes nothing. */
  public static DocEdit by(String author) {
    return new DocEdit(author, null, null, null, null, 0);
  }

  /** This edit, replacing the canonical questions. */
  public DocEdit withQuestions(List<String> newQuestions) {
    return new DocEdit(author, newQuestions, answer, scope, provenance, expectedVersion);
  }

  /** This edit, replacing the answer. */
  public DocEdit withAnswer(String newAnswer) {
    return new DocEdit(author, questions, newAnswer, scope, provenance, expectedVersion);
  }

  /** This edit, replacing the scope. */
  public DocEdit withScope(DocScope newScope) {
    return new DocEdit(author, questions, answer, newScope, provenance, expectedVersion);
  }

  /** This edit, replacing the provenance. */
  public DocEdit withProvenance(Provenance newProvenance) {
    return new DocEdit(author, questions, answer, scope, newProvenance, expectedVersion);
  }

  /** This edit, applied only if {@code version} is still the latest. */
  public DocEdit expectingVersion(int version) {
    return new DocEdit(author, questions, answer, scope, provenance, version);
  }
}
