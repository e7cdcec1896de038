package dev.bound.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.client.solrj.request.AbstractUpdateRequest;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.client.solrj.request.SolrQuery;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.util.ContentStreamBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers kept in a SolrCloud collection that several Bound instances share, with the records
 * they follow each other by ({@link SharedLog}). The exact tier reads a Caffeine hot tier, then
 * Solr by real-time get, which sees an acknowledged add at once on every instance; the semantic
 * tier is Solr's HNSW kNN search, which sees it after the collection's soft commit. A removal
 * writes an eviction record that every instance's change feed applies to its hot tier; an answer
 * another instance replaced for the same prompt stays in this hot tier until evicted by size.
 * Replication and failover are Solr's. Thread-safe.
 */
public final class SolrAnswerStore implements AnswerBackend, SharedLog {
  private static final Logger LOG = LoggerFactory.getLogger(SolrAnswerStore.class);

  static final String META_ID = "_bound_meta";
  static final String KIND_ANSWER = "answer";
  static final String KIND_META = "meta";
  /** The small document, keyed by entry id, that names the answer document of that entry. */
  static final String KIND_ENTRY = "entry";
  static final String KIND_SHARED = "shared";
  /**
   * The collection's layout. Layout 1 (the first Solr layout, marked with the embedded store's
   * "1") had no entry documents and no shared records; it is refused, not migrated.
   */
  static final String LAYOUT = "solr-2";
  /** How often a start that found no Solr node tries again, in the background. */
  private static final long PREPARE_RETRY_MS = 1_000;
  /** Solr's _version_ holds milliseconds above its low 20 bits (a counter). */
  private static final int VERSION_MS_SHIFT = 20;
  /** How long a start waits for another instance that is creating the same collection. */
  private static final long CREATE_WAIT_MS = 60_000;
  private static final Duration ADMIN_TIMEOUT = Duration.ofMinutes(3);

  private final SolrOptions options;
  private final StoreOptions store;
  private final CloudSolrClient client;
  private final String collection;
  private final ExecutorService writers;
  /** Set once the collection is known to exist and fit this model; until then calls fail. */
  private volatile boolean prepared;
  /** Whether a thread is creating the collection again after it was deleted under Bound. */
  private final AtomicBoolean recreating = new AtomicBoolean();
  /**
   * Why a start without Solr cannot complete (a collection of another model, credentials Solr
   * refuses); null while nothing was refused.
   */
  private volatile String refused;
  private volatile boolean closed;
  /**
   * The exact tier's answers in memory, by Solr id (scope and exact key); null when
   * cache.hot-tier is 0. Removals on other instances reach it through the change feed ({@link
   * #follow}), as "evict" records.
   */
  private final Cache<String, Entry> hot;
  /** Counts adds and evictions, so a lookup never puts back an answer one of them replaced. */
  private final AtomicLong changes = new AtomicLong();

  private SolrAnswerStore(SolrOptions options, StoreOptions store, CloudSolrClient client,
      ExecutorService writers) {
    this.hot = store.hotTierMaxBytes() == 0 ? null : Caffeine.newBuilder()
        .maximumWeight(store.hotTierMaxBytes())
        .<String, Entry>weigher((k, e) -> AnswerStore.weigh(e))
        .build();
    this.writers = writers;
    this.options = options;
    this.store = store;
    this.client = client;
    this.collection = options.collection();
  }

  /**
   * Connects to the cluster, uploading Bound's configset and creating the collection if it is
   * missing. Fails with an {@link IllegalStateException} if the collection was built for another
   * embedding model or dimension, or by an earlier layout. If no node answers, it returns a store
   * whose every call throws {@link StorageUnavailableException} until one does; it then prepares
   * the collection in the background, checking it as a start would.
   */
  public static SolrAnswerStore open(SolrOptions options, StoreOptions store) {
    Objects.requireNonNull(options, "options must not be null");
    Objects.requireNonNull(store, "store must not be null");
    ExecutorService writers = writers();
    CloudSolrClient client = client(options, options.timeout(), writers);
    SolrAnswerStore s = new SolrAnswerStore(options, store, client, writers);
    try {
      s.prepare();
    } catch (StorageUnavailableException e) {
      String refusal = refusal(options);
      if (refusal != null) {
        s.close();
        throw new IllegalStateException(refusedAt(refusal), e);
      }
      LOG.warn("No Solr node at {} answered ({}); Bound serves from the upstream alone and "
          + "prepares the collection {} once one does", options.urls(), e.getMessage(),
          options.collection());
      Thread.ofPlatform().daemon(true).name("bound-solr-prepare").start(s::prepareInBackground);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /**
   * Where a node refuses Bound's credentials (HTTP 401), or null when none does. SolrJ
   * reports a refusal met while reading the cluster's state like an unreachable node, without
   * the status, so a start that finds no node asks each one itself before it waits for Solr.
   */
  static String refusal(SolrOptions o) {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(o.timeout()).build()) {
      for (String url : o.urls()) {
        HttpRequest.Builder r = HttpRequest.newBuilder(
            URI.create(url.replaceAll("/+$", "") + "/admin/info/system?wt=json"))
            .timeout(o.timeout()).GET();
        if (!o.user().isEmpty()) {
          r.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
              (o.user() + ":" + o.password()).getBytes(StandardCharsets.UTF_8)));
        }
        try {
          int status = http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
          if (status == 401) { // not 403: a user may lack only the right to read this page
            return url + " (HTTP " + status + ")";
          }
        } catch (IOException | RuntimeException e) {
          // not reached: an outage, not a refusal
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
    }
    return null;
  }

  /** Whether the collection is ready; false while no Solr node has answered since the start. */
  public boolean prepared() {
    return prepared;
  }

  /** Creates or checks the collection with an admin client of its own, with slow timeouts. */
  private void prepare() {
    // Creating a collection takes seconds to minutes; serving calls must fail much sooner.
    try (CloudSolrClient admin = client(options, ADMIN_TIMEOUT, writers)) {
      prepare(admin);
    }
    prepared = true;
    LOG.info("Opened the shared answer collection {} at {} (embedding model {}, dimension {})",
        collection, options.urls(), store.embeddingModel(), store.dimension());
  }

  private void prepareInBackground() {
    while (!closed && !prepared) {
      try {
        Thread.sleep(PREPARE_RETRY_MS);
        prepare();
        refused = null;
      } catch (StorageUnavailableException e) {
        // SolrJ reports wrong credentials while it reads the cluster's state as an outage.
        String refusal = refusal(options);
        if (refusal != null) {
          reportRefused(refusedAt(refusal));
        } else {
          LOG.debug("Solr still unavailable: {}", e.getMessage());
        }
      } catch (Refused e) {
        // Tried again: the password may yet be set on Solr's side.
        reportRefused(e.getMessage());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // A collection built for another model or layout: never mixed in, never retried.
        refused = e.getMessage();
        LOG.error("Bound keeps serving from the upstream alone: {}", e.getMessage());
        return;
      }
    }
  }

  /**
   * Creates the collection again, in the background as a start that found no Solr would, after
   * a call found it deleted; until then every call is an outage. Answers are a cache that
   * refills, and those not yet stored wait in the journal; a second deletion found while it is
   * being created again changes nothing.
   */
  private void recreate() {
    if (closed || !recreating.compareAndSet(false, true)) {
      return;
    }
    prepared = false;
    LOG.warn("{}; until then Bound serves from the upstream alone", gone());
    Thread.ofPlatform().daemon(true).name("bound-solr-recreate").start(() -> {
      try {
        prepareInBackground();
      } finally {
        recreating.set(false);
      }
    });
  }

  /** Says once, as an error, why Solr will not let a Bound that started without it in. */
  private void reportRefused(String message) {
    if (!message.equals(refused)) {
      refused = message;
      LOG.error("{}; Bound serves from the upstream alone until Solr lets it in", message);
    }
  }

  private static String refusedAt(String where) {
    return "Solr refused Bound's credentials at " + where + CREDENTIALS;
  }

  /** Throws unless the collection was prepared; every call to Solr goes through here first. */
  /** How long calls skip a Solr found unreachable before one tries it again. */
  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private volatile String failure;
  private volatile long failedNanos;
  private final AtomicBoolean probing = new AtomicBoolean();

  private void requirePrepared() {
    if (!prepared) {
      throw new StorageUnavailableException(refused != null ? refused
          : recreating.get() ? gone()
          : "the Solr collection " + collection + " is not ready: no Solr node at "
              + options.urls() + " has answered since Bound started", null);
    }
  }

  private String gone() {
    return "the Solr collection " + collection + " no longer exists (deleted while Bound ran?);"
        + " Bound is creating it again";
  }

  /**
   * The threads SolrJ writes request bodies on. Bound's own, of daemon threads, so that closing
   * the store interrupts a writer a failed node left waiting rather than wait for it forever.
   */
  private static ExecutorService writers() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "bound-solr-writer-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  private static CloudSolrClient client(SolrOptions o, Duration timeout,
      ExecutorService writers) {
    long ms = timeout.toMillis();
    // The JDK's HTTP client, not Jetty's: Bound's own server is Jetty 12, SolrJ's client Jetty 10.
    HttpJdkSolrClient.Builder http = new HttpJdkSolrClient.Builder()
        .withExecutor(writers)
        .withConnectionTimeout(ms, TimeUnit.MILLISECONDS)
        .withIdleTimeout(Math.max(ms, 30_000), TimeUnit.MILLISECONDS)
        .withRequestTimeout(ms, TimeUnit.MILLISECONDS)
        .useHttp1_1(true);
    if (!o.user().isEmpty()) {
      http.withBasicAuthCredentials(o.user(), o.password());
    }
    return new CloudSolrClient.Builder(o.urls())
        // Sequential, synchronous updates: SolrJ's asynchronous path leaves the thread that
        // writes a request body blocked for good when the node fails mid-request.
        .withParallelUpdates(false)
        // Also the client that reads live nodes and cluster state, so those calls get the
        // same timeouts.
        .withHttpClientBuilder(http)
        .withDefaultCollection(o.collection())
        // A request to a node that just died is retried on another for this long at most.
        .withRetryExpiryTime(ms, TimeUnit.MILLISECONDS)
        .build();
  }

  // --- first start ------------------------------------------------------------------------------

  private void prepare(CloudSolrClient admin) {
    boolean exists = run("list the collections",
        () -> CollectionAdminRequest.listCollections(admin).contains(collection));
    if (!exists) {
      create(admin);
    }
    checkMeta(admin);
  }

  private void create(CloudSolrClient admin) {
    String config = "bound-" + collection;
    run("upload the configset " + config, () -> {
      ConfigSetAdminRequest.Upload up = new ConfigSetAdminRequest.Upload()
          .setConfigSetName(config)
          .setUploadStream(new ContentStreamBase.ByteArrayStream(configset(), config + ".zip",
              "application/octet-stream"))
          .setOverwrite(true);
      return up.process(admin);
    });
    try {
      run("create the collection " + collection, () -> CollectionAdminRequest
          .createCollection(collection, config, options.shards(), options.replicas())
          .process(admin));
      LOG.info("Created the Solr collection {} ({} shards x {} replicas)", collection,
          options.shards(), options.replicas());
    } catch (IllegalStateException | IllegalArgumentException e) {
      // Another instance may have created it in the meantime (Solr answers that with a 400,
      // which run() reports as IllegalArgumentException); the meta check decides.
      if (!run("list the collections",
          () -> CollectionAdminRequest.listCollections(admin).contains(collection))) {
        throw e;
      }
    }
  }

  /** The configset as a zip: Bound's schema with this model's dimension, and its solrconfig. */
  byte[] configset() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("schema.xml"));
      zip.write(resource("schema.xml").replace("@DIMENSION@", String.valueOf(store.dimension()))
          .getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("solrconfig.xml"));
      zip.write(resource("solrconfig.xml")
          .replace("@SOFT_COMMIT_MS@", String.valueOf(options.softCommit().toMillis()))
          .getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return out.toByteArray();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = SolrAnswerStore.class.getResourceAsStream("solr/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the configset file " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Reads which model built the collection and refuses a mismatch; an empty collection without
   * the meta document gets one. Waits a while for another instance that is creating it.
   */
  private void checkMeta(CloudSolrClient admin) {
    long deadline = System.currentTimeMillis() + CREATE_WAIT_MS;
    while (true) {
      SolrDocument meta;
      try {
        meta = run("read the collection's meta document",
            () -> admin.getById(collection, META_ID));
      } catch (StorageUnavailableException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        sleep(500); // a collection just created may have no active replica yet
        continue;
      }
      if (meta != null) {
        requireCompatible(meta);
        return;
      }
      long docs = count(admin, "*:*");
      if (docs == 0) {
        SolrInputDocument d = new SolrInputDocument();
        d.setField("id", META_ID);
        d.setField("kind", KIND_META);
        d.setField("meta_model", store.embeddingModel());
        d.setField("meta_dimension", String.valueOf(store.dimension()));
        d.setField("meta_schema", LAYOUT);
        run("write the meta document",
            () -> new UpdateRequest().add(d).process(admin, collection));
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("The Solr collection " + collection + " holds " + docs
            + " documents but no record of which embedding model built it; Bound will not mix "
            + "its vectors in. Use another collection (storage.solr.collection).");
      }
      sleep(500);
    }
  }

  private void requireCompatible(SolrDocument meta) {
    String model = String.valueOf(meta.getFirstValue("meta_model"));
    String dimension = String.valueOf(meta.getFirstValue("meta_dimension"));
    String schema = String.valueOf(meta.getFirstValue("meta_schema"));
    if (!LAYOUT.equals(schema)) {
      // Answers are a cache that refills, so a new collection loses nothing that matters, and
      // layout 1 held no documents; a migration would rewrite every answer while others serve.
      throw new IllegalStateException("The Solr collection " + collection + " has layout "
          + schema + " but this build reads layout " + LAYOUT + " (answers readable by entry "
          + "id, shared documents and model versions); Bound does not migrate it. Point "
          + "storage.solr.collection at a new collection, or delete this one; it was left "
          + "untouched.");
    }
    if (!store.embeddingModel().equals(model)
        || !String.valueOf(store.dimension()).equals(dimension)) {
      throw new IllegalStateException("The Solr collection " + collection + " was built with "
          + "embedding model '" + model + "' (dimension " + dimension + "), but the configured "
          + "embedding model is '" + store.embeddingModel() + "' (dimension " + store.dimension()
          + "). Vectors from different models cannot be compared; use another collection "
          + "(storage.solr.collection) for this model. The collection was left untouched.");
    }
  }

  // --- answers ----------------------------------------------------------------------------------

  @Override
  public Optional<Entry> exact(String scope, String exactKey) {
    Objects.requireNonNull(scope, "scope must not be null");
    Objects.requireNonNull(exactKey, "exactKey must not be null");
    String id = Keys.exact(scope, exactKey);
    Entry e = hot == null ? null : hot.getIfPresent(id);
    if (e == null) {
      long before = changes.get();
      SolrDocument d = call("look up an exact key", () -> client.getById(collection, id));
      if (d == null || !KIND_ANSWER.equals(d.getFirstValue("kind"))) {
        return Optional.empty();
      }
      e = toEntry(d);
      if (hot != null) {
        Entry found = e;
        hot.asMap().compute(id, (k, old) -> old != null ? old
            : changes.get() == before ? found : null);
      }
    }
    // A hash match alone is not proof; the scope rule must hold by comparison.
    return e.scope().equals(scope) && e.exactKey().equals(exactKey)
        ? Optional.of(e) : Optional.empty();
  }

  @Override
  public List<Candidate> nearest(String scope, float[] vector, int k) {
    Objects.requireNonNull(scope, "scope must not be null");
    Objects.requireNonNull(vector, "vector must not be null");
    float[] target = Vectors.query(vector, store.dimension(), k);
    int n = Math.min(k, 1000);
    SolrQuery q = new SolrQuery("{!knn f=vector topK=" + n + "}" + vectorText(target));
    // Filter queries are applied before the graph search, so the top k are all in scope.
    q.addFilterQuery("kind:" + KIND_ANSWER);
    q.addFilterQuery("scope_key:" + Keys.scope(scope));
    q.setRows(n);
    q.setFields("*", "score");
    SolrDocumentList docs = call("search vectors", () -> client.query(collection, q)).getResults();
    List<Candidate> out = new ArrayList<>(docs.size());
    for (SolrDocument d : docs) {
      Entry e = toEntry(d);
      if (!e.scope().equals(scope) || !e.hasVector()) {
        continue; // a SHA-256 collision only, but scope isolation is absolute
      }
      out.add(new Candidate(e, AnswerStore.cosine(target, e.vectorUnsafe())));
    }
    out.sort((a, b) -> Double.compare(b.similarity(), a.similarity()));
    return List.copyOf(out);
  }

  @Override
  public void addAll(List<Entry> entries) {
    Objects.requireNonNull(entries, "entries must not be null");
    List<SolrInputDocument> docs = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      docs.add(toDocument(Objects.requireNonNull(e, "entries must not contain null")));
      docs.add(pointer(e));
    }
    if (docs.isEmpty()) {
      return;
    }
    call("add answers", () -> new UpdateRequest().add(docs).process(client, collection));
    if (hot != null) {
      changes.incrementAndGet();
      for (Entry e : entries) {
        hot.put(Keys.exact(e.scope(), e.exactKey()), e);
      }
    }
  }

  @Override
  public void remove(Entry e) {
    Objects.requireNonNull(e, "entry must not be null");
    // By entry id, so a newer answer stored under the same key meanwhile is kept; the entry's
    // pointer carries the same entry id and goes with it.
    call("remove an answer", () -> client.deleteByQuery(collection,
        "entry_id:" + ClientUtils.escapeQueryChars(e.id())));
    String id = Keys.exact(e.scope(), e.exactKey());
    evict(id);
    // Other instances drop it from their hot tier when their change feed reads this.
    put(SharedRecord.of(EVICT_PREFIX + id, KIND_EVICT, e.id()), false);
  }

  /** Takes in the evictions other instances wrote; records of other kinds are not this store's. */
  @Override
  public void follow(List<SharedRecord> records) {
    for (SharedRecord r : records) {
      if (r.kind().equals(KIND_EVICT) && r.id().startsWith(EVICT_PREFIX)) {
        evict(r.id().substring(EVICT_PREFIX.length()));
      }
    }
  }

  private void evict(String answerId) {
    if (hot != null) {
      changes.incrementAndGet();
      hot.invalidate(answerId);
    }
  }

  /**
   * Two real-time gets, so an answer is readable by id on every instance as soon as Solr has
   * acknowledged it: the entry's pointer, then the answer it names. Answers stay keyed by scope
   * and exact key, because the exact tier is the hot path and reads them with one get; reads by
   * id are the admin's, and can afford two. A pointer whose answer was since replaced by a newer
   * one for the same prompt finds another entry id there: that entry is gone.
   */
  @Override
  public Optional<Entry> get(String id) {
    Objects.requireNonNull(id, "id must not be null");
    SolrDocument p = call("read an entry", () -> client.getById(collection, Keys.entry(id)));
    Object ref = p == null ? null : p.getFirstValue("answer_ref");
    if (ref == null) {
      return Optional.empty();
    }
    SolrDocument d = call("read an answer", () -> client.getById(collection, ref.toString()));
    if (d == null || !KIND_ANSWER.equals(d.getFirstValue("kind"))
        || !id.equals(d.getFirstValue("entry_id"))) {
      return Optional.empty();
    }
    return Optional.of(toEntry(d));
  }

  @Override
  public List<Entry> browse(String text, String model, String tenant, long sinceMillis,
      int limit, int scanLimit) {
    if (limit < 1 || scanLimit < 1) {
      throw new IllegalArgumentException("limit and scanLimit must be at least 1");
    }
    SolrQuery q = new SolrQuery("*:*");
    q.addFilterQuery("kind:" + KIND_ANSWER);
    q.addFilterQuery("created:[" + sinceMillis + " TO *]");
    if (model != null) {
      q.addFilterQuery("model:" + ClientUtils.escapeQueryChars(model));
    }
    if (tenant != null) {
      q.addFilterQuery("tenant:" + ClientUtils.escapeQueryChars(tenant));
    }
    q.setSort("created", SolrQuery.ORDER.desc);
    q.setRows(scanLimit);
    BrowseFilter filter = new BrowseFilter(text, limit);
    for (SolrDocument d : call("browse answers", () -> client.query(collection, q))
        .getResults()) {
      if (!filter.offer(toEntry(d))) {
        break;
      }
    }
    return filter.kept();
  }

  /** Answers searchable now (after the last soft commit). */
  @Override
  public long size() {
    SolrQuery q = new SolrQuery("kind:" + KIND_ANSWER);
    q.setRows(0);
    return call("count answers", () -> client.query(collection, q)).getResults().getNumFound();
  }

  private long count(CloudSolrClient c, String query) {
    SolrQuery q = new SolrQuery(query);
    q.setRows(0);
    return run("count answers", () -> c.query(collection, q)).getResults().getNumFound();
  }

  /** Solr keeps segments per replica; Bound does not sum them up. */
  @Override
  public int segments() {
    return -1;
  }

  @Override
  public void compact(int maxSegments) {
    if (maxSegments < 1) {
      throw new IllegalArgumentException("maxSegments must be at least 1, got " + maxSegments);
    }
    call("optimize the collection", () -> client.optimize(collection, true, true, maxSegments));
  }

  /**
   * A hard commit without a new searcher: flushes the index files, so Solr's own restart replays
   * less. An acknowledged add is already durable in Solr's update log on every replica.
   */
  @Override
  public void commit() {
    call("commit", () -> {
      UpdateRequest r = new UpdateRequest();
      r.setAction(AbstractUpdateRequest.ACTION.COMMIT, true, false);
      r.setParam("openSearcher", "false");
      return r.process(client, collection);
    });
  }

  // --- shared records ---------------------------------------------------------------------------

  /**
   * Writes the record and then soft-commits, so that every instance's next {@link #since} sees it
   * rather than after the collection's soft-commit interval. Shared records are few (documents,
   * keys, model versions and evictions as they happen; evidence at most every 10 s and hit counts
   * every 30 s per instance), so the extra commits cost little. With {@code once}, Solr's optimistic concurrency (a {@code
   * _version_} of -1) refuses a second write of the id.
   */
  @Override
  public void put(SharedRecord r, boolean once) {
    Objects.requireNonNull(r, "record must not be null");
    SolrInputDocument d = new SolrInputDocument();
    d.setField("id", sharedId(r.id()));
    d.setField("kind", KIND_SHARED);
    d.setField("shared_kind", r.kind());
    d.setField("body", r.body());
    if (once) {
      d.setField("_version_", -1L);
    }
    UpdateRequest add = new UpdateRequest().add(d);
    try {
      call("write a shared record", () -> add.process(client, collection));
    } catch (IllegalStateException e) {
      if (!once || !isConflict(e)) {
        throw e;
      }
      // Written before: by this instance on an attempt whose answer was lost, or by another.
      SolrDocument there = call("read a shared record",
          () -> client.getById(collection, sharedId(r.id())));
      if (there == null || !r.body().equals(there.getFirstValue("body"))) {
        throw new SharedConflictException("the shared record " + r.id()
            + " was already written with other content");
      }
    }
    call("make a shared record visible", () -> {
      UpdateRequest commit = new UpdateRequest();
      commit.setAction(AbstractUpdateRequest.ACTION.COMMIT, false, true, true);
      return commit.process(client, collection);
    });
  }

  @Override
  public List<SharedRecord> since(long stamp, int limit) {
    SolrQuery q = new SolrQuery("*:*");
    q.addFilterQuery("kind:" + KIND_SHARED);
    if (stamp != Long.MIN_VALUE) {
      q.addFilterQuery("_version_:[" + stamp + " TO *]");
    }
    q.setSort("_version_", SolrQuery.ORDER.asc);
    q.setRows(limit);
    q.setFields("id", "shared_kind", "body", "_version_");
    List<SharedRecord> out = new ArrayList<>();
    for (SolrDocument d : call("read shared records", () -> client.query(collection, q))
        .getResults()) {
      String id = d.getFirstValue("id").toString().substring(SHARED_PREFIX.length());
      out.add(new SharedRecord(id, d.getFirstValue("shared_kind").toString(),
          d.getFirstValue("body").toString(), ((Number) d.getFirstValue("_version_"))
              .longValue()));
    }
    return out;
  }

  /** Solr stamps each update with a {@code _version_} whose high bits are the leader's clock. */
  @Override
  public long rewind(long stamp, Duration by) {
    long back = by.toMillis() << VERSION_MS_SHIFT;
    return stamp < Long.MIN_VALUE + back ? Long.MIN_VALUE : stamp - back;
  }

  private static final String SHARED_PREFIX = "shared/";
  private static final String EVICT_PREFIX = "evict/";
  static final String KIND_EVICT = "evict";

  private static String sharedId(String id) {
    return SHARED_PREFIX + id;
  }

  /** Whether a refusal was Solr's 409: a version conflict. */
  private static boolean isConflict(IllegalStateException e) {
    return e.getCause() instanceof SolrException se && se.code() == 409;
  }

  @Override
  public void close() {
    closed = true;
    writers.shutdownNow(); // first, so the client's close finds no writer to wait for
    closeQuietly(client);
  }

  // ---------------------------------------------------------------------------------------------

  private SolrInputDocument toDocument(Entry e) {
    SolrInputDocument d = new SolrInputDocument();
    d.setField("id", Keys.exact(e.scope(), e.exactKey()));
    d.setField("kind", KIND_ANSWER);
    d.setField("entry_id", e.id());
    d.setField("scope", e.scope());
    d.setField("scope_key", Keys.scope(e.scope()));
    d.setField("exact_key", e.exactKey());
    d.setField("prompt", e.prompt());
    d.setField("model", e.model());
    d.setField("tenant", e.tenant());
    d.setField("response", e.response());
    d.setField("created", e.createdMillis());
    if (e.hasVector()) {
      float[] v = e.vectorUnsafe();
      float[] unit = Vectors.entryUnit(e, store.dimension());
      List<Float> values = new ArrayList<>(unit.length);
      for (float f : unit) {
        values.add(f);
      }
      d.setField("vector", values);
      // The caller's original (not the normalised copy), so get() returns exactly what was added.
      d.setField("vector_stored", Base64.getEncoder().encodeToString(Vectors.toBytes(v)));
    }
    return d;
  }

  private static SolrInputDocument pointer(Entry e) {
    SolrInputDocument d = new SolrInputDocument();
    d.setField("id", Keys.entry(e.id()));
    d.setField("kind", KIND_ENTRY);
    d.setField("entry_id", e.id());
    d.setField("answer_ref", Keys.exact(e.scope(), e.exactKey()));
    return d;
  }

  private static Entry toEntry(SolrDocument d) {
    Object vec = d.getFirstValue("vector_stored");
    float[] vector = null;
    if (vec != null) {
      byte[] bytes = Base64.getDecoder().decode(vec.toString());
      vector = Vectors.fromBytes(bytes, 0, bytes.length);
    }
    Object tenant = d.getFirstValue("tenant");
    return new Entry(
        (String) d.getFirstValue("entry_id"),
        (String) d.getFirstValue("scope"),
        (String) d.getFirstValue("exact_key"),
        (String) d.getFirstValue("prompt"),
        vector,
        (String) d.getFirstValue("model"),
        (String) d.getFirstValue("response"),
        ((Number) d.getFirstValue("created")).longValue(),
        tenant == null ? "" : tenant.toString());
  }

  private static String vectorText(float[] v) {
    StringBuilder b = new StringBuilder(v.length * 12).append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(v[i]);
    }
    return b.append(']').toString();
  }

  /** A call on a prepared collection; see {@link #run}. */
  private <T> T call(String what, SolrCall<T> c) {
    requirePrepared();
    String down = failure;
    if (down == null) {
      return failed(() -> serving(what, c));
    }
    // Once Solr was found unreachable, calls fail at once for a moment, so that an outage does
    // not add a timeout to every request; then one call at a time tries it again.
    long since = System.nanoTime() - failedNanos;
    if (since < RETRY_NANOS || !probing.compareAndSet(false, true)) {
      throw new StorageUnavailableException("Solr failed " + since / 1_000_000 + " ms ago: "
          + down, null);
    }
    try {
      return failed(() -> serving(what, c));
    } finally {
      probing.set(false);
    }
  }

  /**
   * Runs a call for a request already being served. A refusal of Bound's credentials or a
   * collection that is gone means the same to a request as a node that is down: Solr changed
   * under a running Bound, and the request is answered by the upstream meanwhile.
   */
  private <T> T serving(String what, SolrCall<T> c) {
    try {
      return run(what, c);
    } catch (Refused e) {
      throw new StorageUnavailableException(e.getMessage(), e);
    }
  }

  /** Runs a call, noting whether Solr answered for the calls that follow. */
  private <T> T failed(Supplier<T> c) {
    try {
      T result = c.get();
      failure = null;
      return result;
    } catch (StorageUnavailableException e) {
      failedNanos = System.nanoTime();
      failure = e.getMessage();
      throw e;
    }
  }

  private static final String CREDENTIALS =
      "; check storage.solr.user and BOUND_STORAGE_SOLR_PASSWORD";

  /** A Solr call that fails for want of Solr throws {@link StorageUnavailableException}. */
  private <T> T run(String what, SolrCall<T> c) {
    try {
      return c.run();
    } catch (SolrServerException | IOException e) {
      throw refusedOrUnavailable(what, e);
    } catch (SolrException e) {
      if (e.code() == SolrException.ErrorCode.BAD_REQUEST.code
          && String.valueOf(e.getMessage()).startsWith("Collection not found")) {
        // SolrJ's answer, as a 400, when the collection was deleted while Bound ran.
        recreate();
        throw new StorageUnavailableException("Could not " + what + ": " + gone(), e);
      }
      if (e.code() == SolrException.ErrorCode.BAD_REQUEST.code) {
        throw new IllegalArgumentException("Solr refused to " + what + ": " + e.getMessage(), e);
      }
      if (e.code() / 100 == 4 && e.code() != 404 && e.code() != 408 && e.code() != 429) {
        // Wrong credentials or a forbidden operation: a configuration mistake, not an outage.
        if (e.code() == 401 || e.code() == 403) {
          throw new Refused(refusedMessage(e.code(), what), e);
        }
        throw new IllegalStateException("Solr refused to " + what + " (HTTP " + e.code()
            + "): " + e.getMessage(), e);
      }
      throw unavailable(what, e);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      // SolrJ reports "no live node answered" as a plain RuntimeException.
      throw refusedOrUnavailable(what, e);
    }
  }

  /**
   * SolrJ wraps a refusal met while it reads the cluster's state (a 401 for wrong credentials,
   * say) in an exception of its own: found in the causes, it is a configuration mistake;
   * anything else is an outage.
   */
  private RuntimeException refusedOrUnavailable(String what, Exception e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SolrException se && (se.code() == 401 || se.code() == 403)) {
        return new Refused(refusedMessage(se.code(), what), e);
      }
    }
    return unavailable(what, e);
  }

  /** A refusal in one line; Solr's own answer to it is an HTML page. */
  private static String refusedMessage(int status, String what) {
    return status == 401
        ? "Solr refused Bound's credentials (HTTP 401) when asked to " + what + CREDENTIALS
        : "Solr refused Bound's user the right to " + what + " (HTTP " + status + ")"
            + CREDENTIALS;
  }

  private StorageUnavailableException unavailable(String what, Exception e) {
    // The first line only: a node behind a proxy may answer with a whole HTML page.
    String why = String.valueOf(e.getMessage()).strip().lines().findFirst().orElse("");
    return new StorageUnavailableException("Could not " + what + " in the Solr collection "
        + collection + ": " + why, e);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Solr collection", e);
    }
  }

  private static void closeQuietly(CloudSolrClient client) {
    try {
      client.close();
    } catch (RuntimeException e) {
      LOG.debug("closing the Solr client failed", e);
    }
  }

  /** Solr refused Bound's credentials: a mistake at the start, an outage once serving. */
  private static final class Refused extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Refused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @FunctionalInterface
  private interface SolrCall<T> {
    T run() throws SolrServerException, IOException;
  }
}
