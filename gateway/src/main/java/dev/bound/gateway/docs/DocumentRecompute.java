package dev.bound.gateway.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.ApiException;
import dev.bound.gateway.Background;
import dev.bound.gateway.BoundDocuments;
import dev.bound.gateway.Json;
import dev.bound.gateway.Upstream;
import dev.bound.index.docs.DocEdit;
import dev.bound.index.docs.DocScope;
import dev.bound.index.docs.Document;
import dev.bound.index.docs.DocumentStore;
import dev.bound.index.docs.Provenance;
import dev.bound.index.docs.ReviewFlag;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-asks the upstream each bound document flagged for a model change, off the request path and
 * within {@code documents.recompute.per-hour}, and keeps each answer as a draft beside the
 * document. An admin approves a draft (it is signed as a new version) or rejects it (the signed
 * version keeps serving and keeps its review flag). Drafts live apart from the document store and
 * are never matched or served.
 */
public final class DocumentRecompute implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DocumentRecompute.class);

  /** What one pass did: drafts written, re-asks that failed, documents left for a later hour. */
  public record Pass(int drafted, int failed, int waiting) {}

  private final DocumentStore store;
  private final Upstream upstream;
  private final boolean hasKey;
  private final int perHour;
  private final RecomputeBudget budget;
  private final DraftStore drafts;
  private final Clock clock;
  private final Object passLock = new Object();
  private final Object draftLock = new Object();
  private ScheduledExecutorService timer;

  /**
   * @param hasKey whether {@code upstream.api-key} is set: without it there is no key to ask
   *     with, since clients' keys are not kept
   * @param perHour the most re-asks in an hour; 0 turns recomputing off
   */
  public DocumentRecompute(BoundDocuments docs, Upstream upstream, boolean hasKey, int perHour,
      Clock clock, Path draftDir) {
    this.store = docs.store();
    this.upstream = upstream;
    this.hasKey = hasKey;
    this.perHour = perHour;
    this.budget = new RecomputeBudget(perHour, clock);
    this.drafts = new DraftStore(draftDir);
    this.clock = clock;
  }

  /** Whether documents are recomputed at all (a budget above 0 and an upstream key). */
  public boolean enabled() {
    return perHour > 0 && hasKey;
  }

  /**
   * Runs a pass every minute on a thread of its own (an upstream call may take a while), when
   * {@code quiet} says no request is in flight.
   */
  public void start(BooleanSupplier quiet) {
    if (perHour == 0) {
      return;
    }
    if (!hasKey) {
      LOG.info("Bound documents will not be recomputed after a model change: upstream.api-key "
          + "is not set, and clients' keys are not kept to ask with; they are flagged for "
          + "review only");
      return;
    }
    timer = Background.scheduler("bound-recompute");
    timer.scheduleWithFixedDelay(() -> {
      try {
        if (quiet.getAsBoolean()) {
          runOnce();
        }
      } catch (RuntimeException e) {
        LOG.warn("A document recompute pass failed", e);
      }
    }, 1, 1, TimeUnit.MINUTES);
  }

  /** Stops the timer, letting a pass under way finish. */
  @Override
  public void close() {
    if (timer != null) {
      Background.stop(timer, Duration.ofSeconds(5), "the document recompute");
    }
  }

  /** Re-asks every document that needs it, as far as the budget goes. */
  public Pass runOnce() {
    if (!enabled()) {
      return new Pass(0, 0, 0);
    }
    synchronized (passLock) {
      dropStale();
      int drafted = 0;
      int failed = 0;
      int waiting = 0;
      for (Document d : store.active()) {
        long flagAt = modelChangeFlag(d);
        if (flagAt < 0 || answered(d, flagAt)) {
          continue;
        }
        if (!budget.tryTake()) {
          waiting++;
        } else if (recompute(d, flagAt)) {
          drafted++;
        } else {
          failed++;
        }
      }
      if (waiting > 0) {
        LOG.info("{} bound documents wait for next hour's recompute budget "
            + "(documents.recompute.per-hour = {})", waiting, perHour);
      }
      return new Pass(drafted, failed, waiting);
    }
  }

  /** The pending draft of a document as JSON, with its diff against the signed version. */
  public Optional<ObjectNode> draft(String id) {
    return pending(id).map(dr -> {
      ObjectNode n = Json.object();
      n.put("id", dr.id());
      n.put("base_version", dr.baseVersion());
      n.put("answer", dr.answer());
      n.put("model", dr.model());
      n.put("model_version", dr.modelVersion());
      n.put("created", dr.createdMillis());
      ArrayNode diff = n.putArray("diff");
      String signed = store.get(id).map(Document::answer).orElse("");
      for (WordDiff.Part p : WordDiff.diff(signed, dr.answer())) {
        diff.addObject().put("op", p.op().json()).put("text", p.text());
      }
      return n;
    });
  }

  /**
   * Signs the draft's answer as a new version of the document by {@code author} (which clears its
   * review flags) and drops the draft.
   *
   * @throws ApiException 404 when there is no pending draft
   */
  public Document approve(String id, String author) {
    synchronized (draftLock) {
      DocDraft d = pending(id).orElseThrow(() -> noDraft(id, drafts.get(id)));
      Provenance p = new Provenance(null, d.modelVersion(), d.promptTokens(),
          d.completionTokens());
      Document next = store.edit(id, DocEdit.by(author).withAnswer(d.answer()).withProvenance(p)
          .expectingVersion(d.baseVersion()));
      drafts.remove(id);
      LOG.info("{} approved the recomputed answer of {}: now version {}", author, id,
          next.version());
      return next;
    }
  }

  /**
   * Drops the draft; the signed version keeps serving and keeps its review flag, and the same
   * model change is not asked again (a later change is).
   *
   * @throws ApiException 404 when there is no pending draft
   */
  public void reject(String id, String author) {
    synchronized (draftLock) {
      DocDraft d = pending(id).orElseThrow(() -> noDraft(id, drafts.get(id)));
      drafts.put(d.asRejected());
      LOG.info("{} rejected the recomputed answer of {} version {}", author, id, d.baseVersion());
    }
  }

  /** Drops drafts made for a version that is no longer the one served (edited or revoked). */
  private void dropStale() {
    synchronized (draftLock) {
      for (DocDraft d : drafts.all()) {
        boolean current = store.get(d.id())
            .filter(doc -> doc.isActive() && doc.version() == d.baseVersion()).isPresent();
        if (!current) {
          drafts.remove(d.id());
        }
      }
    }
  }

  /** A draft that still applies: not rejected, and made for the version now served. */
  private Optional<DocDraft> pending(String id) {
    Optional<Document> doc = store.get(id);
    if (doc.isEmpty()) {
      throw ApiException.notFound("No document " + id + ".");
    }
    return drafts.get(id).filter(d -> !d.rejected() && doc.get().isActive()
        && d.baseVersion() == doc.get().version());
  }

  /**
   * 409 when a draft was made but the document has changed since (edited, or revoked), so that
   * the admin who acts on a draft they saw learns why it is gone; 404 when there is none at all.
   */
  private ApiException noDraft(String id, Optional<DocDraft> made) {
    Optional<Document> now = store.get(id);
    if (made.isPresent() && !made.get().rejected() && now.isPresent()) {
      Document doc = now.get();
      return ApiException.conflict("The draft of " + id + " was made for version "
          + made.get().baseVersion() + ", and the document has changed since (now version "
          + doc.version() + (doc.isActive() ? "" : ", revoked")
          + "); it no longer applies.", "draft_stale");
    }
    return ApiException.notFound("Document " + id + " has no pending draft.");
  }

  /** The time of the newest model-change flag on the document, or -1 when it has none. */
  private long modelChangeFlag(Document d) {
    return store.reviewFlags(d.id()).stream()
        .filter(f -> f.reason().startsWith(BoundDocuments.MODEL_CHANGED))
        .mapToLong(ReviewFlag::atMillis).max().orElse(-1);
  }

  /** Whether a draft, pending or rejected, already answers this version and this change. */
  private boolean answered(Document d, long flagAt) {
    return drafts.get(d.id())
        .filter(dr -> dr.baseVersion() == d.version() && dr.flagMillis() >= flagAt).isPresent();
  }

  private boolean recompute(Document d, long flagAt) {
    String model = modelOf(d);
    if (model == null) {
      LOG.info("Bound document {} is not recomputed: its scope names no model and its "
          + "provenance none either", d.id());
      return false;
    }
    String question = d.questions().getFirst();
    try {
      JsonNode answer = ask(model, question);
      String text = answer.at("/choices/0/message/content").asText("");
      if (text.isBlank()) {
        LOG.warn("The upstream gave no text when {} was recomputed", d.id());
        return false;
      }
      JsonNode usage = answer.path("usage");
      DocDraft draft = new DocDraft(d.id(), d.version(), text, model,
          answer.path("model").asText(model),
          usage.has("prompt_tokens") ? usage.get("prompt_tokens").asLong() : null,
          usage.has("completion_tokens") ? usage.get("completion_tokens").asLong() : null,
          clock.millis(), flagAt, false);
      synchronized (draftLock) {
        // An admin may have edited the document while the upstream was answering.
        if (store.get(d.id()).map(Document::version).orElse(-1) == d.version()) {
          drafts.put(draft);
        }
      }
      LOG.info("Recomputed bound document {} version {} with {}: a draft awaits review",
          d.id(), d.version(), draft.modelVersion());
      return true;
    } catch (RuntimeException | IOException e) {
      LOG.warn("Could not recompute bound document {}: {}", d.id(), e.toString());
      return false;
    }
  }

  /** The model the document answers for: its scope's, else the one its answer came from. */
  private static String modelOf(Document d) {
    if (!DocScope.ANY.equals(d.scope().model())) {
      return d.scope().model();
    }
    return d.provenance() == null ? null : d.provenance().upstreamModel();
  }

  private JsonNode ask(String model, String question) throws IOException {
    ObjectNode req = Json.object();
    req.put("model", model);
    req.put("temperature", 0);
    req.put("stream", false);
    req.putArray("messages").addObject().put("role", "user").put("content", question);
    Upstream.Answer<byte[]> r = upstream.send("POST", upstream.resolve("/chat/completions", null),
        Map.of("Content-Type", List.of("application/json")), Json.bytes(req));
    if (r.statusCode() != 200) {
      throw new IOException("the upstream answered HTTP " + r.statusCode());
    }
    return Json.MAPPER.readTree(r.body());
  }
}
