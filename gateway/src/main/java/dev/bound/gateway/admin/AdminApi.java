package dev.bound.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.AnswerCache;
import dev.bound.gateway.ApiException;
import dev.bound.gateway.BoundDocuments;
import dev.bound.gateway.EnergyAccounting;
import dev.bound.gateway.Json;
import dev.bound.gateway.Matching;
import dev.bound.gateway.observe.HitCounts;
import dev.bound.gateway.protocol.Checks;
import dev.bound.index.Entry;
import dev.bound.index.docs.DocEdit;
import dev.bound.index.docs.DocScope;
import dev.bound.index.docs.DocStatus;
import dev.bound.index.docs.Document;
import dev.bound.index.docs.DocumentException;
import dev.bound.index.docs.DocumentSigner;
import dev.bound.index.docs.DocumentStore;
import dev.bound.index.docs.PromptGroups;
import dev.bound.index.docs.Provenance;
import dev.bound.index.docs.ReviewFlag;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API under {@code /admin/}: browse the cache, promote answers to bound documents,
 * create, edit, revoke, export and import documents, and see the promotion candidates. Every
 * route needs the admin token; without one configured none of them exists.
 */
public final class AdminApi {
  private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");
  /** The longest {@code max_age}, in days. */
  static final long MAX_AGE_DAYS = 365_000;
  private static final int SCAN = 20_000;

  private final AdminAuth auth;
  private final AnswerCache cache;
  private final BoundDocuments docs;
  private final HitCounts hits;
  private final EnergyAccounting energy;
  private final BoundConfig.Cache cfg;
  private final Clock clock;
  /** The requested model names the upstream now answers with a given model name. */
  private final Function<String, List<String>> askedAs;
  /** Whether the dashboard's read-only token may see prompts and answers. */
  private final boolean showPrompts;

  public AdminApi(AdminAuth auth, AnswerCache cache, BoundDocuments docs, HitCounts hits,
      EnergyAccounting energy, BoundConfig.Cache cfg, Clock clock,
      Function<String, List<String>> askedAs, boolean showPrompts) {
    this.auth = auth;
    this.cache = cache;
    this.docs = docs;
    this.hits = hits;
    this.energy = energy;
    this.cfg = cfg;
    this.clock = clock;
    this.askedAs = askedAs;
    this.showPrompts = showPrompts;
  }

  public void register(RoutesConfig r) {
    r.get("/admin/entries", admin(this::entries));
    r.get("/admin/entries/{id}", admin(this::entry));
    r.delete("/admin/entries/{id}", admin(this::deleteEntry));
    r.post("/admin/entries/{id}/promote", admin(this::promote));
    r.get("/admin/documents", admin(this::documents));
    r.post("/admin/documents", admin(this::create));
    r.get("/admin/documents/{id}", admin(this::document));
    r.put("/admin/documents/{id}", admin(this::edit));
    r.post("/admin/documents/{id}/revoke", admin(this::revoke));
    r.get("/admin/documents/{id}/versions", admin(this::versions));
    r.get("/admin/documents/{id}/versions/{version}", admin(this::version));
    r.get("/admin/export", admin(ctx -> ctx.contentType("application/json")
        .result(docs.store().exportAll())));
    r.post("/admin/import", admin(this::importDocs));
    r.get("/admin/candidates", admin(ctx -> json(ctx, candidates(ctx, true))));
    r.get("/admin/index", admin(ctx -> json(ctx, indexJson())));
    r.post("/admin/index/compact", admin(this::compact));
    // The dashboard shows the candidates too, to anyone holding the read-only token.
    r.get("/api/candidates", ctx -> {
      auth.requireReader(ctx);
      json(ctx, candidates(ctx, showPrompts));
    });
  }

  Handler admin(Handler h) {
    return ctx -> {
      auth.requireAdmin(ctx);
      try {
        h.handle(ctx);
      } catch (DocumentException e) {
        throw switch (e.reason()) {
          case NOT_FOUND -> ApiException.notFound(e.getMessage());
          case CONFLICT -> ApiException.conflict(e.getMessage(), "conflict");
          case REJECTED -> ApiException.invalid(e.getMessage(), null, "rejected");
        };
      } catch (IllegalArgumentException e) {
        throw ApiException.invalid(e.getMessage(), null, "invalid_value");
      }
    };
  }

  // ---- cache entries ----

  private void entries(Context ctx) {
    long since = 0;
    String age = ctx.queryParam("max_age");
    if (age != null) {
      since = clock.millis() - age(age).toMillis();
    }
    long minHits = longParam(ctx, "min_hits", 0);
    int limit = (int) Math.min(1000, longParam(ctx, "limit", 50));
    String ns = ctx.queryParam("namespace") == null ? null
        : tenantOf(ctx.queryParam("namespace"));
    // A namespace alone ("ns:team-a") is that namespace under every credential; no entry's
    // tenant is that string itself, so those are picked from the newest entries.
    boolean anyKey = ns != null && ns.startsWith("ns:");
    List<Entry> found = cache.store().browse(ctx.queryParam("q"), ctx.queryParam("model"),
        anyKey ? null : ns, since, minHits > 0 || anyKey ? SCAN : Math.max(1, limit), SCAN);
    ObjectNode out = Json.object();
    ArrayNode arr = out.putArray("entries");
    for (Entry e : found) {
      if (anyKey && !DocScope.inNamespace(ns, e.tenant())) {
        continue;
      }
      long n = hits.count(e.id());
      JsonNode answer = n >= minHits && arr.size() < limit ? readable(e) : null;
      if (answer != null) {
        arr.add(entryJson(e, answer, n, false));
      }
    }
    json(ctx, out);
  }

  private void entry(Context ctx) {
    Entry e = cache.store().get(ctx.pathParam("id"))
        .orElseThrow(() -> ApiException.notFound("No entry " + ctx.pathParam("id") + "."));
    json(ctx, entryJson(e, readableOr404(e), hits.count(e.id()), true));
  }

  /**
   * {@code DELETE /admin/entries/{id}}: removes a stored answer. With a shared store it stops
   * being served by every instance once the store has made the removal visible.
   */
  private void deleteEntry(Context ctx) {
    Entry e = cache.store().get(ctx.pathParam("id"))
        .orElseThrow(() -> ApiException.notFound("No entry " + ctx.pathParam("id") + "."));
    cache.remove(e);
    ctx.status(204);
  }

  /**
   * An entry's stored answer, or null when it cannot be read (written by an older Bound, or
   * damaged); such an entry is removed, as the request path does when it meets one.
   */
  private JsonNode readable(Entry e) {
    JsonNode answer = parse(e.response());
    if (answer == null) {
      cache.remove(e);
    }
    return answer;
  }

  private JsonNode readableOr404(Entry e) {
    JsonNode answer = readable(e);
    if (answer == null) {
      throw ApiException.notFound("Entry " + e.id() + " could not be read and was removed.");
    }
    return answer;
  }

  private ObjectNode entryJson(Entry e, JsonNode answer, long hitCount, boolean full) {
    ObjectNode n = Json.object();
    n.put("id", e.id());
    n.put("prompt", e.prompt());
    n.put("model", e.model());
    n.put("namespace", e.tenant());
    n.put("created", e.createdMillis());
    n.put("age_seconds", Math.max(0, (clock.millis() - e.createdMillis()) / 1000));
    n.put("hits", hitCount);
    n.put("answer", answerText(answer));
    if (full) {
      n.set("response", answer);
    }
    return n;
  }

  private void promote(Context ctx) {
    Entry e = cache.store().get(ctx.pathParam("id"))
        .orElseThrow(() -> ApiException.notFound("No entry " + ctx.pathParam("id") + "."));
    JsonNode body = body(ctx, "author", "questions", "answer", "scope");
    JsonNode answer = readableOr404(e);
    List<String> questions = body.has("questions") ? questions(body)
        : List.of(seen(e.prompt(), "the entry's prompt", ", or give the questions yourself"));
    String text = body.hasNonNull("answer") ? answer(body) : answerText(answer);
    JsonNode usage = answer.path("usage");
    Provenance p = new Provenance(e.id(), e.model(),
        usage.has("prompt_tokens") ? usage.get("prompt_tokens").asLong() : null,
        usage.has("completion_tokens") ? usage.get("completion_tokens").asLong() : null);
    Document d = docs.store().create(questions, text, scope(body, promotedScope(e, body)),
        author(body), p);
    ctx.status(201);
    json(ctx, docJson(d));
  }

  /**
   * Where a promoted entry's answer may be served unless the body says otherwise: the model name
   * clients asked for (an entry records the name the upstream answered with, such as {@code
   * gpt-4o-2024-08-06} for {@code gpt-4o}) and the entry's own tenant, so an answer one key was
   * given is not handed to every other key without the admin saying so.
   */
  private DocScope promotedScope(Entry e, JsonNode body) {
    String tenant = e.tenant().isEmpty() ? DocScope.ANY : e.tenant();
    if (body.path("scope").hasNonNull("model")) {
      return new DocScope(DocScope.ANY, tenant); // the model is the body's
    }
    List<String> asked = askedAs.apply(e.model());
    if (asked.size() != 1) {
      throw ApiException.invalid("Entry " + e.id() + " was answered by " + e.model() + ", which "
          + (asked.isEmpty() ? "no model name clients ask for is answered with now"
              : "clients ask for as " + String.join(", ", asked))
          + "; name the model the document is for in 'scope.model' (\"*\" for any).",
          "scope.model", "missing_required_parameter");
    }
    return new DocScope(asked.getFirst(), tenant);
  }

  // ---- documents ----

  private void documents(Context ctx) {
    String status = ctx.queryParam("status");
    if (status != null && Arrays.stream(DocStatus.values())
        .noneMatch(st -> st.name().equalsIgnoreCase(status))) {
      throw ApiException.invalid("'status' must be one of " + Arrays.stream(DocStatus.values())
          .map(st -> st.name().toLowerCase(Locale.ROOT)).toList() + ".", "status",
          "invalid_value");
    }
    ObjectNode out = Json.object();
    ArrayNode arr = out.putArray("documents");
    for (Document d : docs.store().list(doc -> status == null
        || doc.status().name().equalsIgnoreCase(status))) {
      arr.add(docJson(d));
    }
    // What the store set aside (unreadable or unverifiable files, forks met in shared storage):
    // otherwise only in the log.
    ArrayNode problems = out.putArray("problems");
    docs.store().problems().forEach(problems::add);
    json(ctx, out);
  }

  private void create(Context ctx) {
    JsonNode body = body(ctx, "questions", "answer", "author", "scope");
    if (!body.hasNonNull("answer")) {
      throw ApiException.invalid("'answer' is required.", "answer", "missing_required_parameter");
    }
    Document d = docs.store().create(questions(body), answer(body),
        scope(body, DocScope.any()), author(body), null);
    ctx.status(201);
    json(ctx, docJson(d));
  }

  private void document(Context ctx) {
    Document d = docs.store().get(ctx.pathParam("id"))
        .orElseThrow(() -> ApiException.notFound("No document " + ctx.pathParam("id") + "."));
    json(ctx, docJson(d));
  }

  private void edit(Context ctx) {
    JsonNode body = body(ctx, "author", "answer", "questions", "scope", "expected_version");
    DocEdit edit = DocEdit.by(author(body));
    if (body.has("questions")) {
      edit = edit.withQuestions(questions(body));
    }
    if (body.hasNonNull("answer")) {
      edit = edit.withAnswer(answer(body));
    }
    if (body.has("scope")) { // a null or a string is refused by scope(), not read as "any"
      // What the edit leaves out of the scope stays as it is, never widened to "any".
      Document now = docs.store().get(ctx.pathParam("id")).orElseThrow(() ->
          ApiException.notFound("No document " + ctx.pathParam("id") + "."));
      edit = edit.withScope(scope(body, now.scope()));
    }
    Integer expected = expectedVersion(body, ctx.header("If-Match"));
    if (expected != null) {
      edit = edit.expectingVersion(expected);
    }
    json(ctx, docJson(docs.store().edit(ctx.pathParam("id"), edit)));
  }

  private void revoke(Context ctx) {
    json(ctx, docJson(docs.store().revoke(ctx.pathParam("id"), author(body(ctx, "author")))));
  }

  private void versions(Context ctx) {
    List<Document> h = docs.store().history(ctx.pathParam("id"));
    if (h.isEmpty()) {
      throw ApiException.notFound("No document " + ctx.pathParam("id") + ".");
    }
    ObjectNode out = Json.object();
    ArrayNode arr = out.putArray("versions");
    h.forEach(d -> arr.add(docJson(d)));
    json(ctx, out);
  }

  private void version(Context ctx) {
    int v;
    try {
      v = Integer.parseInt(ctx.pathParam("version"));
    } catch (NumberFormatException e) {
      throw ApiException.invalid("The version must be a whole number.", "version",
          "invalid_value");
    }
    Document d = docs.store().get(ctx.pathParam("id"), v).orElseThrow(() ->
        ApiException.notFound("No version " + v + " of document " + ctx.pathParam("id") + "."));
    json(ctx, docJson(d));
  }

  /**
   * Imports documents: the body is {@code {"documents": [...], "keys": <JWK Set>}}, or a bare
   * array of documents signed by this instance. Every signature is checked before anything is
   * written; one bad document and nothing is imported. A document already here is carried on to
   * the import's newer versions, or left as it is when the import holds no newer one.
   */
  private void importDocs(Context ctx) {
    JsonNode body = Checks.parseJson(ctx.bodyAsBytes());
    JsonNode list = body.isArray() ? body : body.path("documents");
    if (!list.isArray()) {
      throw ApiException.invalid("Send an array of documents, or {\"documents\": [...], "
          + "\"keys\": {JWK Set}}.", "documents", "invalid_type");
    }
    List<PublicKey> keys = new ArrayList<>();
    keys.add(docs.signingKey());
    if (body.has("keys")) {
      keys.addAll(DocumentSigner.fromJwkSet(Json.text(body.get("keys"))));
    }
    DocumentStore.ImportResult r = docs.store().importAll(Json.text(list), keys,
        AdminApi::unseenQuestion);
    json(ctx, Json.object().put("imported", r.added()).put("updated", r.updated())
        .put("unchanged", r.unchanged()));
  }

  // ---- promotion candidates ----

  /**
   * Groups of similar prompts asked often, most asked first, with the answer now served and the
   * energy a binding would save in a month at the rate the group was asked so far; groups an
   * active document already answers are left out.
   */
  private ObjectNode candidates(Context ctx, boolean withText) {
    long minCount = longParam(ctx, "min_count", 2);
    List<Entry> recent = cache.store().browse(null, null, null, 0, SCAN, SCAN);
    List<PromptGroups.Item> items = new ArrayList<>();
    java.util.Map<String, Entry> byId = new java.util.HashMap<>();
    for (Entry e : recent) {
      if (e.vector() == null) {
        continue;
      }
      // The miss that stored the entry was an ask too.
      items.add(new PromptGroups.Item(e.prompt(), e.vector(), 1 + hits.count(e.id()), e.id()));
      byId.put(e.id(), e);
    }
    ObjectNode out = Json.object();
    out.put("show_prompts", withText);
    ArrayNode arr = out.putArray("candidates");
    long now = clock.millis();
    Matching matching = cache.matching();
    // Only prompts the cache itself would answer alike: one scope (tenant, model, system
    // prompt, parameters) and the matcher's judgement.
    PromptGroups.SameMeaning same = (leader, item, cosine) -> cosine >= matching.floor(null)
        && byId.get(leader.entryId()).scope().equals(byId.get(item.entryId()).scope())
        && matching.sameMeaning(byId.get(leader.entryId()), byId.get(item.entryId()), cosine);
    java.util.function.Predicate<PromptGroups.Group> bound = boundAlready(byId);
    for (PromptGroups.Group g : PromptGroups.cluster(items, same)) {
      if (g.totalCount() < minCount || bound.test(g)) {
        continue;
      }
      Entry rep = byId.get(g.representativeEntryId());
      JsonNode answer = java.util.Objects.requireNonNullElse(parse(rep.response()),
          Json.object());
      long oldest = g.entryIds().stream().mapToLong(id -> byId.get(id).createdMillis()).min()
          .orElse(now);
      // The rate so far, over at least a day, so a burst in the last minute is not taken as
      // the steady state.
      double days = Math.max(1.0, (now - oldest) / 86_400_000.0);
      double perMonth = g.totalCount() / days * 30;
      EnergyAccounting.Account a = energy.account(rep.model(), answer.path("usage"), 0);
      ObjectNode c = arr.addObject();
      c.put("count", g.totalCount());
      c.put("entry", rep.id());
      c.put("model", rep.model());
      c.put("namespace", rep.tenant());
      if (withText) {
        ArrayNode ex = c.putArray("examples");
        g.examples().forEach(ex::add);
        c.put("answer", answerText(answer));
      }
      c.put("asks_per_month", Math.round(perMonth * 10) / 10.0);
      c.put("wh_per_month", EnergyAccounting.round(a.wh() * perMonth));
      c.put("wh_per_month_low", EnergyAccounting.round(a.whLow() * perMonth));
      c.put("wh_per_month_high", EnergyAccounting.round(a.whHigh() * perMonth));
    }
    return out;
  }

  /**
   * Whether an active document already answers the group, so that it is not offered for
   * promotion again: one of its versions was promoted from an entry of the group, or one of its
   * questions is the group's prompt as typed (up to case and white space) in a namespace it
   * covers.
   */
  private java.util.function.Predicate<PromptGroups.Group> boundAlready(
      java.util.Map<String, Entry> byId) {
    java.util.Set<String> promotedFrom = new java.util.HashSet<>();
    java.util.Map<String, List<DocScope>> questions = new java.util.HashMap<>();
    for (Document d : docs.store().active()) {
      for (Document v : docs.store().history(d.id())) {
        if (v.provenance() != null && v.provenance().sourceEntryId() != null) {
          promotedFrom.add(v.provenance().sourceEntryId());
        }
      }
      for (String q : d.questions()) {
        questions.computeIfAbsent(asTyped(q), k -> new ArrayList<>()).add(d.scope());
      }
    }
    return g -> g.entryIds().stream().anyMatch(promotedFrom::contains)
        || g.entryIds().stream().map(byId::get).anyMatch(e ->
            questions.getOrDefault(asTyped(e.prompt()), List.of()).stream().anyMatch(sc ->
                DocScope.ANY.equals(sc.namespace()) || DocScope.inNamespace(sc.namespace(),
                    e.tenant())));
  }

  private static String asTyped(String question) {
    return question.strip().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
  }

  // ---- helpers ----

  ObjectNode docJson(Document d) {
    ObjectNode n = (ObjectNode) parse(d.toJson());
    n.put("hits", hits.count(d.id() + "@" + d.version()));
    ArrayNode flags = n.putArray("review");
    for (ReviewFlag f : docs.store().reviewFlags(d.id())) {
      flags.addObject().put("version", f.version()).put("reason", f.reason())
          .put("at", f.atMillis());
    }
    return n;
  }

  /** The body's scope; a field it leaves out (or sets to null) is {@code defaults}'. */
  private static DocScope scope(JsonNode body, DocScope defaults) {
    JsonNode s = body.path("scope");
    if (!s.isMissingNode() && !s.isObject()) {
      throw scopeError();
    }
    if (s.isObject()) {
      unknownFields(s, "scope.", List.of("model", "namespace"));
    }
    String model = scopeField(s, "model", defaults.model());
    String ns = scopeField(s, "namespace", defaults.namespace());
    return new DocScope(model, ns.equals(DocScope.ANY) ? ns : tenantOf(ns));
  }

  private static ApiException scopeError() {
    return ApiException.invalid("'scope' must be an object with a 'model' and a 'namespace', each "
        + "a non-empty string or \"" + DocScope.ANY + "\" (left out: the default).", "scope",
        "invalid_type");
  }

  /** A scope's field: absent or null gives the default; otherwise a non-blank string. */
  private static String scopeField(JsonNode scope, String field, String fallback) {
    JsonNode v = scope.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw ApiException.invalid("'scope." + field + "' must be a non-empty string.",
          "scope." + field, "invalid_type");
    }
    return v.asText();
  }

  /** The body's {@code answer}: text, never a number or an object turned into text. */
  private static String answer(JsonNode body) {
    JsonNode a = body.get("answer");
    if (a == null || !a.isTextual() || a.asText().isBlank()) {
      throw ApiException.invalid("'answer' must be a non-empty string.", "answer",
          "invalid_type");
    }
    return a.asText();
  }

  /**
   * The version an edit expects to replace: {@code expected_version} in the body (a positive
   * integer), else the {@code If-Match} header ({@code "3"}, {@code 3} or {@code W/"3"}; {@code *}
   * expects none); null for no check. Anything else is refused rather than read as 0, which
   * would mean "any version".
   */
  static Integer expectedVersion(JsonNode body, String ifMatch) {
    JsonNode v = body.get("expected_version");
    Integer header = ifMatch(ifMatch);
    if (v != null && !v.isNull()) {
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
        throw ApiException.invalid("'expected_version' must be a positive whole number: the "
            + "version the edit replaces.", "expected_version", "invalid_value");
      }
      if (header != null && header != v.asInt()) {
        throw ApiException.invalid("'expected_version' (" + v.asInt() + ") and If-Match ("
            + header + ") name different versions; send one.", "expected_version",
            "invalid_value");
      }
      return v.asInt();
    }
    return header;
  }

  /** The version an If-Match header names; null for none or {@code *}. */
  private static Integer ifMatch(String ifMatch) {
    if (ifMatch == null || ifMatch.strip().equals("*")) {
      return null;
    }
    String tag = ifMatch.strip();
    if (tag.startsWith("W/")) {
      tag = tag.substring(2);
    }
    if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
      tag = tag.substring(1, tag.length() - 1);
    }
    if (tag.matches("[1-9][0-9]{0,9}")) {
      long n = Long.parseLong(tag);
      if (n <= Integer.MAX_VALUE) {
        return (int) n;
      }
    }
    throw ApiException.invalid("The If-Match header must name the version the edit replaces, "
        + "such as \"3\" (or * for any); it was " + ifMatch.strip() + ".", null,
        "invalid_value");
  }

  /**
   * The tenant a namespace names: an {@code X-Bound-Namespace} value becomes {@code ns:<value>};
   * a tenant written in full ({@code ns:…}, {@code key:…}, {@code anonymous}) stays as it is.
   */
  static String tenantOf(String namespace) {
    return namespace.startsWith("ns:") || namespace.startsWith("key:")
        || namespace.equals("anonymous") || namespace.startsWith("anonymous/ns:")
        ? namespace : "ns:" + namespace;
  }

  static String author(JsonNode body) {
    if (!body.path("author").isTextual() || body.get("author").asText().isBlank()) {
      throw ApiException.invalid("'author' is required: who is making this change.", "author",
          "missing_required_parameter");
    }
    return body.get("author").asText();
  }

  /** The body's {@code questions}, each one the embedding can see whole. */
  private static List<String> questions(JsonNode body) {
    List<String> out = strings(body, "questions");
    int i = firstUnseen(out);
    if (i >= 0) {
      seen(out.get(i), "questions[" + i + "]", "");
    }
    return out;
  }

  /**
   * Refuses a question holding a control character (a NUL, an escape): the embedding does not
   * see it, so the document would answer the same text without it, which the model reads as
   * another question.
   */
  private static String seen(String question, String name, String otherwise) {
    if (Matching.hasUnseen(question)) {
      throw ApiException.invalid(unseen(name) + "Remove it" + otherwise + ".", "questions",
          "invalid_value");
    }
    return question;
  }

  /** Why an imported document may not be served as it is ({@link #seen}), or null. */
  private static String unseenQuestion(Document d) {
    int i = firstUnseen(d.questions());
    return i < 0 ? null : unseen("questions[" + i + "]") + "Remove it where the export came from";
  }

  /** The index of the first question holding a control character, or -1. */
  private static int firstUnseen(List<String> questions) {
    for (int i = 0; i < questions.size(); i++) {
      if (Matching.hasUnseen(questions.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static String unseen(String name) {
    return name + " holds a control character (such as a NUL), which the embedding does not "
        + "see: the document would also answer the text without it. ";
  }

  private static List<String> strings(JsonNode body, String field) {
    JsonNode arr = body.get(field);
    if (arr == null || !arr.isArray() || arr.isEmpty()) {
      throw ApiException.invalid("'" + field + "' must be a non-empty array of strings.", field,
          "invalid_type");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode q : arr) {
      if (!q.isTextual()) {
        throw ApiException.invalid("'" + field + "' must be a non-empty array of strings.",
            field, "invalid_type");
      }
      out.add(q.asText());
    }
    return out;
  }

  /**
   * The request's JSON object, with no field but {@code allowed}: a misspelt field
   * ({@code expectedVersion}) would otherwise be dropped without a word, and with it the check
   * or the restriction it was meant to make.
   */
  static JsonNode body(Context ctx, String... allowed) {
    JsonNode body = Checks.parseObject(ctx.bodyAsBytes());
    unknownFields(body, "", List.of(allowed));
    return body;
  }

  private static void unknownFields(JsonNode object, String prefix, List<String> allowed) {
    for (String name : (Iterable<String>) object::fieldNames) {
      if (!allowed.contains(name)) {
        String shown = (name.length() > 64 ? name.substring(0, 64) + "…" : name)
            .replaceAll("\\p{Cntrl}", "?");
        throw ApiException.invalid("Unknown field '" + prefix + shown + "'; "
            + (prefix.isEmpty() ? "this route takes " : "it takes ")
            + String.join(", ", allowed.stream().map(a -> prefix + a).toList()) + ".",
            prefix + shown, "unknown_parameter");
      }
    }
  }

  private static String answerText(JsonNode answer) {
    JsonNode c = answer.path("choices").path(0);
    return c.path("message").path("content").asText(c.path("text").asText(""));
  }

  /** Stored JSON, or null when it cannot be read. */
  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private static long longParam(Context ctx, String name, long fallback) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.invalid("'" + name + "' must be a whole number of at least 0.", name,
        "invalid_value");
  }

  private static Duration age(String v) {
    Matcher m = AGE.matcher(v);
    if (!m.matches()) {
      throw ApiException.invalid("'max_age' must be a number and a unit (s, m, h or d), such as "
          + "7d.", "max_age", "invalid_value");
    }
    // Up to a thousand years, in any unit: further back than any entry, and far from overflow
    // (twelve digits of days still fit a Duration).
    Duration d = m.group(1).length() > 12 ? null : switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(Long.parseLong(m.group(1)));
      case "m" -> Duration.ofMinutes(Long.parseLong(m.group(1)));
      case "h" -> Duration.ofHours(Long.parseLong(m.group(1)));
      default -> Duration.ofDays(Long.parseLong(m.group(1)));
    };
    if (d == null || d.compareTo(Duration.ofDays(MAX_AGE_DAYS)) > 0) {
      throw ApiException.invalid("'max_age' may be at most " + MAX_AGE_DAYS + "d (or as much in "
          + "another unit).", "max_age", "invalid_value");
    }
    return d;
  }

  // ---- the index ----

  private ObjectNode indexJson() {
    ObjectNode n = Json.object();
    n.put("entries", cache.size());
    n.put("segments", cache.store().segments());
    AnswerCache.Compaction c = cache.compaction();
    if (c == null) {
      n.putNull("compaction");
    } else {
      ObjectNode o = n.putObject("compaction");
      o.put("state", c.finishedMillis() == 0 ? "running" : c.error() == null ? "done" : "failed");
      o.put("max_segments", c.maxSegments());
      o.put("started", Instant.ofEpochMilli(c.startedMillis()).toString());
      o.put("segments_before", c.segmentsBefore());
      if (c.finishedMillis() != 0) {
        o.put("finished", Instant.ofEpochMilli(c.finishedMillis()).toString());
        o.put("seconds", (c.finishedMillis() - c.startedMillis()) / 1000.0);
        if (c.error() == null) {
          o.put("segments_after", c.segmentsAfter());
        } else {
          o.put("error", c.error());
        }
      }
    }
    return n;
  }

  /**
   * {@code POST /admin/index/compact} {@code {"max_segments": 1}}: starts merging the index's
   * segments (each has its own vector graph, which every search walks) and answers 202 at once.
   */
  private void compact(Context ctx) {
    int max = 1;
    if (ctx.bodyAsBytes().length > 0) {
      JsonNode m = Checks.parseObject(ctx.bodyAsBytes()).get("max_segments");
      if (m != null && !m.isNull()) {
        if (!m.canConvertToInt() || !m.isIntegralNumber() || m.asInt() < 1 || m.asInt() > 1000) {
          throw ApiException.invalid("'max_segments' must be an integer from 1 to 1000.",
              "max_segments", "invalid_value");
        }
        max = m.asInt();
      }
    }
    if (!cache.compactLater(max)) {
      throw ApiException.conflict("A compaction is already running; see GET /admin/index.",
          "compaction_running");
    }
    ctx.status(202);
    json(ctx, indexJson());
  }

  static void json(Context ctx, JsonNode n) {
    ctx.contentType("application/json").result(Json.bytes(n));
  }
}
