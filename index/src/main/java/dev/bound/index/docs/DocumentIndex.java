package dev.bound.index.docs;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the bound document that answers a request: every canonical question of every ACTIVE
 * document, embedded once and kept in memory, compared to the request by cosine similarity. The
 * search is brute force (about 3 ms per 10,000 questions of 384 dimensions on one core), meant for
 * the thousands of questions admins curate, not for the millions a cache holds.
 */
public final class DocumentIndex {

  private static final Logger log = LoggerFactory.getLogger(DocumentIndex.class);
  private static final Pattern WHITESPACE =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private final Function<String, float[]> embedder;
  private final Object writeLock = new Object();

  /** Replaced whole on every change, so a reader sees the index before a change or after it. */
  private volatile Snapshot snapshot = new Snapshot(List.of(), 0);

  private record Row(Document document, String question, String normalized, float[] unit) {}

  private record Snapshot(List<Row> rows, int dimension) {}

  private DocumentIndex(Function<String, float[]> embedder) {
    this.embedder = embedder;
  }

  /**
   * Builds the index from the store's ACTIVE documents and keeps it current with every later
   * create, edit, revoke and import. {@code embedder} turns a question into a vector (it is
   * normalized here; a failure leaves that question matchable by exact text only). It runs under
   * the store's write lock, so writes wait while the index is first built.
   */
  public static DocumentIndex over(DocumentStore store, Function<String, float[]> embedder) {
    Objects.requireNonNull(store, "store must not be null");
    Objects.requireNonNull(embedder, "embedder must not be null");
    DocumentIndex index = new DocumentIndex(embedder);
    store.subscribe(docs -> docs.forEach(index::apply), index::apply);
    return index;
  }

  /**
   * The best document whose scope admits {@code model} and {@code namespace} and one of whose
   * questions is at least {@code threshold} similar to the request, or empty. A question whose
   * normalized text (lower case, whitespace folded) equals the request's counts as 1.0 even without
   * vectors; {@code queryVector} may be null to match by text only. Ties go to the more specific
   * scope (model before namespace), then the more recently updated document.
   */
  public Optional<DocMatch> match(
      String model, String namespace, String question, float[] queryVector, double threshold) {
    Objects.requireNonNull(model, "model must not be null");
    Objects.requireNonNull(namespace, "namespace must not be null");
    Objects.requireNonNull(question, "question must not be null");
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be between 0 and 1 but was " + threshold);
    }
    Snapshot s = snapshot;
    float[] query = queryVector == null ? null : unit(queryVector, "queryVector");
    if (query != null && s.dimension() != 0 && query.length != s.dimension()) {
      throw new IllegalArgumentException(
          "queryVector has dimension " + query.length + " but the index holds " + s.dimension());
    }
    String normalized = normalize(question);
    Row best = null;
    double bestSimilarity = 0;
    for (Row row : s.rows()) {
      if (!row.document().scope().admits(model, namespace)) {
        continue;
      }
      double similarity;
      if (row.normalized().equals(normalized)) {
        similarity = 1.0;
      } else if (query != null && row.unit() != null) {
        similarity = Math.max(-1, Math.min(1, dot(query, row.unit())));
      } else {
        continue;
      }
      if (similarity >= threshold
          && (best == null || better(similarity, row, bestSimilarity, best))) {
        best = row;
        bestSimilarity = similarity;
      }
    }
    return best == null
        ? Optional.empty()
        : Optional.of(new DocMatch(best.document(), best.question(), bestSimilarity));
  }

  /** How many questions the index holds. */
  public int size() {
    return snapshot.rows().size();
  }

  /** Lower case, whitespace runs folded to one space, trimmed, in Unicode NFC. */
  static String normalize(String text) {
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    return WHITESPACE.matcher(nfc.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
  }

  // ---------------------------------------------------------------------------------------------

  /** Replaces the rows of one document by those of its latest version (none unless ACTIVE). */
  private void apply(Document latest) {
    // Embedding runs before the lock: it may call a model, and readers never wait on it anyway.
    List<Row> added = latest.isActive() ? rows(latest) : List.of();
    synchronized (writeLock) {
      Snapshot s = snapshot;
      int dimension = s.dimension();
      List<Row> rows = new ArrayList<>(s.rows().size() + added.size());
      for (Row r : s.rows()) {
        if (!r.document().id().equals(latest.id())) {
          rows.add(r);
        }
      }
      for (Row r : added) {
        if (r.unit() != null && dimension == 0) {
          dimension = r.unit().length;
        }
        if (r.unit() != null && r.unit().length != dimension) {
          log.warn(
              "Question of {} embedded with dimension {}, not {}; matched by text only",
              latest.id(),
              r.unit().length,
              dimension);
          r = new Row(r.document(), r.question(), r.normalized(), null);
        }
        rows.add(r);
      }
      snapshot = new Snapshot(List.copyOf(rows), dimension);
    }
  }

  private List<Row> rows(Document doc) {
    List<Row> out = new ArrayList<>(doc.questions().size());
    for (String q : doc.questions()) {
      float[] unit = null;
      try {
        float[] v = embedder.apply(q);
        unit = unit(Objects.requireNonNull(v, "the embedder returned null"), "embedding");
      } catch (RuntimeException e) {
        log.warn("Could not embed a question of {}; it matches by exact text only", doc.id(), e);
      }
      out.add(new Row(doc, q, normalize(q), unit));
    }
    return out;
  }

  private static boolean better(double sim, Row row, double bestSim, Row best) {
    if (sim != bestSim) {
      return sim > bestSim;
    }
    Document a = row.document();
    Document b = best.document();
    int specificity = Integer.compare(a.scope().specificity(), b.scope().specificity());
    if (specificity != 0) {
      return specificity > 0;
    }
    if (a.updatedMillis() != b.updatedMillis()) {
      return a.updatedMillis() > b.updatedMillis();
    }
    return a.id().compareTo(b.id()) < 0;
  }

  static float[] unit(float[] v, String what) {
    if (v.length == 0) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(what + "[" + i + "] must be finite but was " + v[i]);
      }
      sum += (double) v[i] * v[i];
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException(what + " must not be the zero vector");
    }
    double inv = 1 / Math.sqrt(sum);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] * inv);
    }
    return out;
  }

  static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }
}
