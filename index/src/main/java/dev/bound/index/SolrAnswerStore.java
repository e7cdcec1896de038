package dev.bound.index;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.atomic.AtomicInteger;
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
 * Answers kept in a SolrCloud collection that several Bound instances share. The exact tier reads
 * by real-time get, which sees an acknowledged add at once on every instance; the semantic tier is
 * Solr's HNSW kNN search, which sees it after the collection's soft commit. Nothing is cached on
 * this side, so a removal on one instance stops being served on all of them as soon as Solr has
 * made it visible. Replication and failover are Solr's. Thread-safe.
 */
public final class SolrAnswerStore implements AnswerBackend {
  private static final Logger LOG = LoggerFactory.getLogger(SolrAnswerStore.class);

  static final String META_ID = "_bound_meta";
  static final String KIND_ANSWER = "answer";
  static final String KIND_META = "meta";
  /** How long a start waits for another instance that is creating the same collection. */
  private static final long CREATE_WAIT_MS = 60_000;
  private static final Duration ADMIN_TIMEOUT = Duration.ofMinutes(3);

  private final SolrOptions options;
  private final StoreOptions store;
  private final CloudSolrClient client;
  private final String collection;
  private final ExecutorService writers;

  private SolrAnswerStore(SolrOptions options, StoreOptions store, CloudSolrClient client,
      ExecutorService writers) {
    this.writers = writers;
    this.options = options;
    this.store = store;
    this.client = client;
    this.collection = options.collection();
  }

  /**
   * Connects to the cluster, uploading Bound's configset and creating the collection if it is
   * missing. Fails with an {@link IllegalStateException} if the collection was built for another
   * embedding model or dimension, and with a {@link StorageUnavailableException} if no node
   * answers.
   */
  public static SolrAnswerStore open(SolrOptions options, StoreOptions store) {
    Objects.requireNonNull(options, "options must not be null");
    Objects.requireNonNull(store, "store must not be null");
    ExecutorService writers = writers();
    CloudSolrClient client = client(options, options.timeout(), writers);
    // Creating a collection takes seconds to minutes; serving calls must fail much sooner.
    try (CloudSolrClient admin = client(options, ADMIN_TIMEOUT, writers)) {
      SolrAnswerStore s = new SolrAnswerStore(options, store, client, writers);
      s.prepare(admin);
      LOG.info("Opened the shared answer collection {} at {} (embedding model {}, dimension {})",
          options.collection(), options.urls(), store.embeddingModel(), store.dimension());
      return s;
    } catch (RuntimeException e) {
      closeQuietly(client);
      writers.shutdownNow();
      throw e;
    }
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
    boolean exists = call("list the collections",
        () -> CollectionAdminRequest.listCollections(admin).contains(collection));
    if (!exists) {
      create(admin);
    }
    checkMeta(admin);
  }

  private void create(CloudSolrClient admin) {
    String config = "bound-" + collection;
    call("upload the configset " + config, () -> {
      ConfigSetAdminRequest.Upload up = new ConfigSetAdminRequest.Upload()
          .setConfigSetName(config)
          .setUploadStream(new ContentStreamBase.ByteArrayStream(configset(), config + ".zip",
              "application/octet-stream"))
          .setOverwrite(true);
      return up.process(admin);
    });
    try {
      call("create the collection " + collection, () -> CollectionAdminRequest
          .createCollection(collection, config, options.shards(), options.replicas())
          .process(admin));
      LOG.info("Created the Solr collection {} ({} shards x {} replicas)", collection,
          options.shards(), options.replicas());
    } catch (IllegalStateException e) {
      // Another instance may have created it in the meantime; the meta check decides.
      if (!call("list the collections",
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
        meta = call("read the collection's meta document",
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
        d.setField("meta_schema", AnswerStore.SCHEMA_VERSION);
        call("write the meta document",
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
    if (!AnswerStore.SCHEMA_VERSION.equals(schema)) {
      throw new IllegalStateException("The Solr collection " + collection + " has answer layout "
          + "version " + schema + " but this build reads version " + AnswerStore.SCHEMA_VERSION
          + "; use another collection (storage.solr.collection).");
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
    SolrDocument d = call("look up an exact key",
        () -> client.getById(collection, Keys.exact(scope, exactKey)));
    if (d == null || !KIND_ANSWER.equals(d.getFirstValue("kind"))) {
      return Optional.empty();
    }
    Entry e = toEntry(d);
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
    }
    if (docs.isEmpty()) {
      return;
    }
    call("add answers", () -> new UpdateRequest().add(docs).process(client, collection));
  }

  @Override
  public void remove(Entry e) {
    Objects.requireNonNull(e, "entry must not be null");
    // By entry id, so a newer answer stored under the same key meanwhile is kept.
    call("remove an answer", () -> client.deleteByQuery(collection,
        "entry_id:" + ClientUtils.escapeQueryChars(e.id())));
  }

  @Override
  public Optional<Entry> get(String id) {
    Objects.requireNonNull(id, "id must not be null");
    SolrQuery q = new SolrQuery("*:*");
    q.addFilterQuery("kind:" + KIND_ANSWER);
    q.addFilterQuery("entry_id:" + ClientUtils.escapeQueryChars(id));
    q.setRows(1);
    SolrDocumentList docs = call("read an answer", () -> client.query(collection, q))
        .getResults();
    return docs.isEmpty() ? Optional.empty() : Optional.of(toEntry(docs.get(0)));
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
    return count(client, "kind:" + KIND_ANSWER);
  }

  private long count(CloudSolrClient c, String query) {
    SolrQuery q = new SolrQuery(query);
    q.setRows(0);
    return call("count answers", () -> c.query(collection, q)).getResults().getNumFound();
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

  @Override
  public String describe() {
    return "solr " + collection + " at " + String.join(",", options.urls());
  }

  @Override
  public void close() {
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

  /** A Solr call that fails for want of Solr throws {@link StorageUnavailableException}. */
  private <T> T call(String what, SolrCall<T> c) {
    try {
      return c.run();
    } catch (SolrServerException | IOException e) {
      throw unavailable(what, e);
    } catch (SolrException e) {
      if (e.code() == SolrException.ErrorCode.BAD_REQUEST.code) {
        throw new IllegalArgumentException("Solr refused to " + what + ": " + e.getMessage(), e);
      }
      if (e.code() / 100 == 4 && e.code() != 404 && e.code() != 408 && e.code() != 429) {
        // Wrong credentials or a forbidden operation: a configuration mistake, not an outage.
        throw new IllegalStateException("Solr refused to " + what + " (HTTP " + e.code() + "): "
            + e.getMessage(), e);
      }
      throw unavailable(what, e);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      // SolrJ reports "no live node answered" as a plain RuntimeException.
      throw unavailable(what, e);
    }
  }

  private StorageUnavailableException unavailable(String what, Exception e) {
    return new StorageUnavailableException("Could not " + what + " in the Solr collection "
        + collection + ": " + e.getMessage(), e);
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

  @FunctionalInterface
  private interface SolrCall<T> {
    T run() throws SolrServerException, IOException;
  }
}
