package dev.bound.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.protocol.CanonicalRequest;
import dev.bound.gateway.protocol.Kind;
import dev.bound.index.docs.DocMatch;
import dev.bound.index.docs.DocScope;
import dev.bound.index.docs.Document;
import dev.bound.index.docs.DocumentIndex;
import dev.bound.index.docs.DocumentSigner;
import dev.bound.index.docs.DocumentStore;
import dev.bound.models.Embedder;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;
import java.util.Set;

/**
 * The bound documents: the signed, versioned answers an admin approved, their store and the
 * index that matches requests to their canonical questions.
 */
public final class BoundDocuments implements AutoCloseable {
  /** How the review flag a model change raises begins; the recompute looks for it. */
  public static final String MODEL_CHANGED = "upstream model changed";

  final DocumentSigner signer;
  final DocumentStore store;
  final DocumentIndex index;
  private final double threshold;
  private final boolean followUps;

  BoundDocuments(Path data, Embedder embedder, double threshold, boolean followUps) {
    this.signer = DocumentSigner.open(data.resolve("doc-keys"));
    this.store = DocumentStore.open(data.resolve("documents"), signer);
    try {
      this.index = DocumentIndex.over(store, embedder::embed);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    this.threshold = threshold;
    this.followUps = followUps;
  }

  /**
   * The document that answers a request, if any: one in whose scope the request falls and one of
   * whose canonical questions its last user message matches, when that message carries no
   * images or files and no control character. With follow-ups off, a chat with
   * earlier user or assistant turns goes to the ordinary cache, whose scope includes them.
   */
  Optional<DocMatch> match(CanonicalRequest req, String tenant, AnswerCache.Probe probe,
      Double thresholdOverride) {
    // A control character (a NUL) the embedding does not see would match the question without it.
    if (index.size() == 0 || req.queryText() == null || req.nonTextParts()
        || (!followUps && req.earlierTurns()) || !answerableAsText(req)
        || Matching.hasUnseen(req.queryText())) {
      return Optional.empty();
    }
    // The header can make a document harder to reach, never easier: documents.threshold is the
    // admin's floor, and a document has no verifier behind its similarity.
    double t = thresholdOverride != null ? Math.max(thresholdOverride, threshold) : threshold;
    return index.match(req.model(), tenant, req.queryText(), probe.vector(), t);
  }

  /**
   * Request parameters a document's plain text answer satisfies as well as any: the model, and
   * settings that only steer sampling or how much the model thinks.
   */
  private static final Set<String> TEXT_NEUTRAL = Set.of("model", "seed",
      "frequency_penalty", "presence_penalty", "parallel_tool_calls", "reasoning_effort",
      CanonicalRequest.HEADER_PARAM + "anthropic-beta");

  /**
   * Whether a document, plain text written for a question, can be the answer: a chat (never a
   * continuation of a completions prompt) that asks for text, with no tools to call or choose, no
   * JSON format or schema, no stop sequences, logit bias, log-probabilities, audio or other
   * output a document does not have. Anything else goes to the ordinary cache, whose scope
   * holds every such parameter.
   */
  static boolean answerableAsText(CanonicalRequest req) {
    if (req.kind() != Kind.CHAT) {
      return false;
    }
    for (var e : req.params().properties()) {
      String key = e.getKey();
      if (TEXT_NEUTRAL.contains(key) || e.getValue().isNull()) {
        continue;
      }
      if (key.equals("response_format")
          && e.getValue().path("type").asText("text").equals("text")) {
        continue;
      }
      return false;
    }
    return true;
  }

  /** Whether no document is indexed, so that {@link #match} answers nothing without embedding. */
  boolean none() {
    return index.size() == 0;
  }

  /** The canonical answer a document gives; tokens from provenance. */
  static ObjectNode answer(Document d, CanonicalRequest req) {
    ObjectNode a = Json.object();
    a.put("object", req.kind().object);
    a.put("model", req.model());
    ArrayNode choices = a.putArray("choices");
    ObjectNode c = choices.addObject().put("index", 0);
    if (req.kind() == Kind.CHAT) {
      c.putObject("message").put("role", "assistant").put("content", d.answer());
    } else {
      c.put("text", d.answer());
    }
    c.putNull("logprobs");
    c.put("finish_reason", "stop");
    ObjectNode usage = a.putObject("usage");
    // What the upstream spent on the answer it came from; for a document written by hand, an
    // estimate of about four characters a token, the usual rule of thumb for English.
    long prompt = d.provenance() != null && d.provenance().promptTokens() != null
        ? d.provenance().promptTokens() : Math.max(1, req.queryText().length() / 4);
    long completion = d.provenance() != null && d.provenance().completionTokens() != null
        ? d.provenance().completionTokens() : Math.max(1, d.answer().length() / 4);
    usage.put("prompt_tokens", prompt);
    usage.put("completion_tokens", completion);
    usage.put("total_tokens", prompt + completion);
    return a;
  }

  /** Flags every active document answering for {@code requestedModel} for review. */
  void modelChanged(ModelVersions.Change change) {
    for (Document d : store.active()) {
      DocScope s = d.scope();
      boolean sameModel = s.model().equals(change.requested())
          || (d.provenance() != null && change.from().equals(d.provenance().upstreamModel()));
      if (sameModel) {
        store.flagForReview(d.id(), MODEL_CHANGED + " from " + change.from() + " to "
            + change.to());
      }
    }
  }

  int active() {
    return store.active().size();
  }

  /** The document store, for the admin API. */
  public DocumentStore store() {
    return store;
  }

  /** The key this gateway signs documents with, trusted on import. */
  public PublicKey signingKey() {
    return signer.publicKey();
  }

  @Override
  public void close() {
    store.close();
  }
}
