package dev.bound.gateway;

import dev.bound.config.BoundConfig;
import dev.bound.gateway.admin.AdminApi;
import dev.bound.gateway.admin.AdminAuth;
import dev.bound.gateway.admin.Dashboard;
import dev.bound.gateway.admin.DraftRoutes;
import dev.bound.gateway.docs.DocumentRecompute;
import dev.bound.gateway.embeddings.EmbeddingsEndpoint;
import dev.bound.gateway.observe.DecisionLog;
import dev.bound.gateway.observe.HitCounts;
import dev.bound.gateway.observe.Metrics;
import dev.bound.gateway.observe.SavingsLedger;
import dev.bound.gateway.protocol.Protocol;
import dev.bound.index.AnswerBackend;
import dev.bound.index.AnswerStore;
import dev.bound.index.SolrAnswerStore;
import dev.bound.index.SolrOptions;
import dev.bound.index.SharedLog;
import dev.bound.index.StoreOptions;
import dev.bound.index.journal.AnswerJournal;
import dev.bound.models.Embedder;
import dev.bound.models.Embedders;
import dev.bound.models.EmbeddingModelSpec;
import dev.bound.models.Pooling;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import org.apache.lucene.store.Directory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Bound: the HTTP server, the cache and the link to the upstream. {@link #start} loads
 * the embedding model and opens the index before it accepts requests.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  /** How long a stop waits for the requests already running before it cuts them off. */
  static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final BoundConfig cfg;
  private final Clock clock;
  private final Upstream upstream;
  private final AnswerCache cache;
  /** The stored answers for /readyz and /metrics, waited for at most 800 ms. */
  private final StoredCount stored;
  private final ScheduledExecutorService timers;
  private final CachePipeline cached;
  private final EnergyAccounting energy;
  private final SavingsLedger ledger;
  private final AdminAuth auth;
  private final Metrics metrics;
  private final BoundDocuments documents;
  private final ModelVersions versions;
  private final HitCounts hits;
  private final AdminApi admin;
  private final DocumentRecompute recompute;
  private final Dashboard dashboard;
  /** Null when cache.embeddings.enabled is false: the endpoint is then passed through. */
  private final EmbeddingsEndpoint embeddings;
  private final Embedder embedder;
  private final Dreamer dreamer;
  /** Null unless the storage is shared (storage.backend=solr). */
  private final SharedState shared;
  private final Javalin app;
  private final DecisionLog decisions;
  /** Set once started; held until {@link #close} is done with the data directory. */
  private DataDirLock lock;

  private Gateway(BoundConfig cfg, Path data, Clock clock, Embedder embedder, AnswerBackend store,
      AnswerJournal journal, Matching matching, EnergyAccounting energy, SavingsLedger ledger,
      BoundDocuments documents, PrintStream logOut, UnaryOperator<Directory> indexFiles) {
    ApiPrices prices = ApiPrices.load(cfg.prices()); // first: a bad price file starts nothing
    this.cfg = cfg;
    this.clock = clock;
    this.embedder = embedder;
    this.upstream = new Upstream(cfg.upstream());
    this.cache = new AnswerCache(embedder, store, journal, matching, clock);
    this.timers = Background.scheduler("bound-timers");
    this.energy = energy;
    this.ledger = ledger;
    this.auth = new AdminAuth(cfg.admin());
    this.documents = documents;
    this.versions = new ModelVersions(data.resolve("model-versions.json"));
    this.hits = new HitCounts(data.resolve("hit-counts.json"));
    this.shared = store instanceof SharedLog log
        ? SharedState.start(log, documents, versions, matching, hits, data) : null;
    timers.scheduleWithFixedDelay(hits::save, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
    timers.scheduleWithFixedDelay(matching::save, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
    // /readyz and /metrics answer within about a second even while Solr hangs.
    this.stored = new StoredCount(cache::size, Duration.ofMillis(800));
    this.metrics = new Metrics(stored::get, () -> documents.active(), energy.deployment());
    metrics.errorBound(matching);
    metrics.durability(cache::backlog, cache::journalUnflushed);
    metrics.deferred(cache::deferredTotal, cache::backfilled, cache::deferredWaiting);
    metrics.apiCurrency(prices.currency());
    this.dashboard = new Dashboard(auth, ledger, clock, matching, cfg.dashboard());
    this.dreamer = Dreamer.start(cfg, clock, upstream, cache, energy, timers, ledger::dreamed,
        data.resolve("dream-queue.json"));
    ledger.servingIntensity(dreamer::intensityAt);
    this.decisions = new DecisionLog(logOut, cfg.logDecisions());
    this.cached = new CachePipeline(cfg, clock, upstream, cache, decisions, timers, energy,
        prices, List.of(ledger, metrics, dashboard, hits, dreamer), documents, versions, dreamer);
    metrics.semanticValue(cached.semantic()::value, cached.semantic()::admittedShare,
        cached.semantic()::busyShare, cached.semantic()::threads);
    this.admin = new AdminApi(auth, cache, documents, hits, energy, cfg.cache(), clock,
        versions::askedAs, cfg.dashboard().showPrompts());
    this.recompute = new DocumentRecompute(documents, upstream,
        !cfg.upstream().apiKey().isEmpty(), cfg.cache().documentRecomputePerHour(), clock,
        data.resolve("document-drafts"));
    this.embeddings = !cfg.cache().embeddings().enabled() ? null
        : new EmbeddingsEndpoint(cfg, data.resolve("embeddings"), clock, upstream, energy,
            decisions, List.of(ledger, metrics, dashboard, hits),
            timers, cached.keys(), indexFiles);
    ServiceEndpoints service = new ServiceEndpoints(cfg, clock, upstream, auth, ledger, energy,
        cache, stored, documents, embedder, prices);
    DreamRoutes dreamRoutes = new DreamRoutes(auth, dreamer, cfg.cache().variants().dream(),
        clock, ledger);
    HeaderDeadline deadline = new HeaderDeadline(cfg.server().idleTimeout(), timers);
    RequestGuard guard = new RequestGuard(cfg.server());
    this.app = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.concurrency.useVirtualThreads = true;
      c.http.compressionStrategy = CompressionStrategy.NONE;
      c.http.maxRequestSize = cfg.server().maxBodyBytes();
      c.jetty.addConnector((server, http) -> connector(server, http, cfg.server(), deadline));
      c.jetty.modifyServer(server -> {
        server.setErrorHandler(new JsonErrorHandler());
        // On stop, the listener closes first and requests already running get STOP_GRACE to
        // finish (a streamed answer included) before their connections are cut.
        server.setHandler(new GracefulHandler(deadline));
        server.setStopTimeout(STOP_GRACE.toMillis());
      });
      guard.register(c.routes);
      for (Protocol p : Protocol.all()) {
        c.routes.post("/v1" + p.path(), ctx -> cached.handle(ctx, p));
      }
      if (embeddings != null) {
        c.routes.post("/v1/embeddings", embeddings::handle);
      }
      service.register(c.routes);
      admin.register(c.routes);
      new DraftRoutes(admin, recompute).register(c.routes);
      dreamRoutes.register(c.routes);
      metrics.register(c.routes);
      dashboard.register(c.routes);
      service.registerPassThrough(c.routes);
      ErrorPages.register(c.routes);
    });
    decisions.start(); // last: a constructor that failed leaves no thread behind
  }

  /** Bound's one listener, which closes connections idle past server.idle-timeout. */
  private static ServerConnector connector(Server server, HttpConfiguration http,
      BoundConfig.Server cfg, HeaderDeadline deadline) {
    ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
    c.setHost(cfg.host());
    c.setPort(cfg.port());
    c.setIdleTimeout(cfg.idleTimeout().toMillis());
    c.addEventListener(deadline.connections());
    return c;
  }

  /** Starts Bound with the system clock, writing decision lines to standard output. */
  public static Gateway start(BoundConfig cfg) {
    return start(cfg, Clock.systemUTC(), System.out);
  }

  /** Starts Bound; fails with an {@link IllegalStateException} saying what is wrong. */
  public static Gateway start(BoundConfig cfg, Clock clock, PrintStream logOut) {
    return start(cfg, clock, logOut, java.util.concurrent.ThreadLocalRandom.current(),
        UnaryOperator.identity());
  }

  /**
   * As {@link #start(BoundConfig, Clock, PrintStream)}, with the semantic tier's sampling coins,
   * and the files of the embedded index and the embeddings store written through {@code
   * indexFiles}, so that a test can make their writes fail as a full disk does.
   */
  static Gateway start(BoundConfig cfg, Clock clock, PrintStream logOut,
      java.util.random.RandomGenerator random, UnaryOperator<Directory> indexFiles) {
    if (cfg.upstream().url() == null) {
      throw new IllegalStateException("upstream.url is required: pass --upstream URL or set "
          + "BOUND_UPSTREAM_URL (for example http://localhost:11434/v1)");
    }
    // A port in use, or a host that is no address of this machine, is reported before the model
    // loads or anything is written to the data dir.
    requireListenable(cfg.server().host(), cfg.server().port());
    // The energy settings are checked first: a mistake there should not wait for the model.
    EnergyAccounting energy = new EnergyAccounting(cfg.energy());
    Path data = cfg.dataDir().toAbsolutePath().normalize();
    requireDirectoryOrNothing(data);
    DataDirLock lock = DataDirLock.take(data);
    try {
      Gateway g = startLocked(cfg, clock, logOut, random, energy, data, indexFiles);
      g.lock = lock;
      return g;
    } catch (RuntimeException | Error e) {
      lock.close();
      throw e;
    }
  }

  /** Opens everything in a data directory this process has locked, and starts listening. */
  private static Gateway startLocked(BoundConfig cfg, Clock clock, PrintStream logOut,
      java.util.random.RandomGenerator random, EnergyAccounting energy, Path data,
      UnaryOperator<Directory> indexFiles) {
    Embedder embedder = Embedders.open(modelSpec(cfg.embedding()), data.resolve("models"));
    AnswerBackend store;
    try {
      store = openStore(cfg.storage(), data,
          new StoreOptions(embedder.name(), embedder.dimension(), cfg.cache().hotTierBytes(),
              cfg.storage().maxSegments(), StoreOptions.DEFAULT_COMPACT_AFTER_IDLE), indexFiles);
    } catch (RuntimeException e) {
      embedder.close();
      throw e;
    }
    AnswerJournal journal;
    try {
      journal = AnswerJournal.open(data.resolve("journal"), cfg.storage().journalFlush());
    } catch (RuntimeException e) {
      store.close();
      embedder.close();
      throw e;
    }
    SavingsLedger ledger = null;
    BoundDocuments documents = null;
    Matching matching = null;
    Gateway g;
    try {
      matching = new Matching(cfg.cache(), modelSpec(cfg.embedding()), data.resolve("models"),
          data.resolve("entry-thresholds.json"), random, embedder);
      ledger = SavingsLedger.open(data.resolve("ledger"), clock);
      documents = new BoundDocuments(data, embedder, cfg.cache().documentThreshold(),
          cfg.cache().documentFollowUps());
      // Indexes what the journal recovered, before the server accepts a request.
      g = new Gateway(cfg, data, clock, embedder, store, journal, matching, energy, ledger,
          documents, logOut, indexFiles);
    } catch (RuntimeException e) {
      if (matching != null) {
        matching.close();
      }
      if (documents != null) {
        documents.close();
      }
      if (ledger != null) {
        ledger.close();
      }
      journal.close();
      store.close();
      embedder.close();
      throw e;
    }
    try {
      g.app.start();
    } catch (RuntimeException e) {
      g.cache.close();
      if (g.embeddings != null) {
        g.embeddings.close();
      }
      embedder.close();
      throw new IllegalStateException("cannot listen on " + cfg.server().host() + ":"
          + cfg.server().port() + ": " + rootMessage(e), e);
    }
    g.recompute.start(() -> g.cached.inFlight() == 0);
    return g;
  }

  /** The configured answer store: the embedded index in the data directory, or SolrCloud. */
  static AnswerBackend openStore(BoundConfig.Storage cfg, Path data, StoreOptions options,
      UnaryOperator<Directory> indexFiles) {
    if (!cfg.backend().equals("solr")) {
      if (!cfg.solr().urls().isEmpty()) {
        LOG.warn("storage.solr.urls is set but storage.backend is {}: this instance keeps its own"
            + " cache in {} and shares nothing; set storage.backend=solr (--storage solr) to use"
            + " the SolrCloud", cfg.backend(), data.resolve("index"));
      }
      return AnswerStore.open(data.resolve("index"), options, indexFiles);
    }
    BoundConfig.Solr s = cfg.solr();
    // With no Solr node answering, Bound still starts, serving from the upstream alone.
    return SolrAnswerStore.open(new SolrOptions(s.urls(), s.collection(), s.user(),
        s.password(), s.shards(), s.replicas(), s.softCommit(), s.timeout()), options);
  }

  /**
   * Refuses a data directory that is a file, or a symbolic link to nothing, in words: both were
   * reported as a failure to unpack the embedding model, naming a Java exception.
   */
  private static void requireDirectoryOrNothing(Path data) {
    if (Files.isSymbolicLink(data) && !Files.exists(data)) {
      String target;
      try {
        target = Files.readSymbolicLink(data).toString();
      } catch (java.io.IOException e) {
        target = "a path that cannot be read";
      }
      throw new IllegalStateException("the data directory " + data + " is a symbolic link to "
          + target + ", which does not exist: create that directory, or choose another with "
          + "--data");
    }
    if (Files.exists(data) && !Files.isDirectory(data)) {
      throw new IllegalStateException("the data directory " + data + " is a file, not a "
          + "directory: choose another with --data");
    }
  }

  /**
   * Binds {@code host} and {@code port} once and lets go. A host name that resolves to nothing
   * was found only after the model had loaded and the data directory had been written, and was
   * reported as {@code java.nio.channels.UnresolvedAddressException}.
   */
  private static void requireListenable(String host, int port) {
    java.net.InetSocketAddress at = new java.net.InetSocketAddress(host, port);
    if (at.isUnresolved()) {
      throw new IllegalStateException("cannot listen on " + host + ": no address is known by "
          + "that name (choose another with --host, such as 127.0.0.1 or 0.0.0.0)");
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(at);
    } catch (java.io.IOException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage();
      boolean inUse = e instanceof java.net.BindException && why.contains("in use");
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + why
          + (inUse ? " (is another Bound or server using it? choose one with --port)"
              : " (is it an address of this machine? choose another with --host, such as "
                  + "127.0.0.1 or 0.0.0.0)"));
    }
  }

  static EmbeddingModelSpec modelSpec(BoundConfig.Embedding e) {
    if (e.dir().isEmpty()) {
      if (!e.pooling().isEmpty()) {
        throw new IllegalStateException("embedding.pooling applies only with embedding.dir; the "
            + "built-in models set their own");
      }
      try {
        return EmbeddingModelSpec.builtin(e.model());
      } catch (IllegalArgumentException ex) {
        throw new IllegalStateException("embedding.model: " + ex.getMessage());
      }
    }
    Pooling pooling = e.pooling().equals("cls") ? Pooling.CLS : Pooling.MEAN;
    return new EmbeddingModelSpec(e.model(), Path.of(e.dir()), pooling, 512);
  }

  /** The port Bound listens on (useful when the configured port is 0). */
  public int port() {
    return app.port();
  }

  /** The base URL to give an OpenAI client, ending in {@code /v1}. */
  public URI url() {
    return baseUrl(cfg.server().host(), port());
  }

  /**
   * The base URL for a server listening on {@code host}: a wildcard address is reached on the
   * loopback, and an IPv6 address goes in brackets, without which {@code http://::1:8080/v1}
   * was printed, a URL no client can use.
   */
  static URI baseUrl(String host, int port) {
    String h = switch (host) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "[::]", "::0" -> "[::1]";
      default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    };
    return URI.create("http://" + h + ":" + port + "/v1");
  }

  /** The threads that run the semantic tier's work, for tests that fill them. */
  SemanticPool semantic() {
    return cached.semantic();
  }

  /** Waits until every answer stored so far is searchable; for tests and orderly shutdown. */
  public void awaitIndexed() {
    cache.awaitIndexed();
  }

  /** Requests on the cached endpoints now between their start and the end of their bookkeeping. */
  public int inFlightForTests() {
    return cached.inFlight();
  }

  /** Identical misses now waiting for their leader's answer instead of asking the upstream. */
  public int coalescingForTests() {
    return cached.coalescing();
  }

  /**
   * Waits until every request so far has finished its bookkeeping (decision line, savings ledger,
   * metrics), which a plain hit or miss does after its body has gone out, and writes out the
   * decision lines gathered so far; for tests and orderly shutdown.
   */
  public void awaitIdle() {
    try {
      if (!cached.awaitIdle(Duration.ofSeconds(10))) {
        throw new IllegalStateException("requests still in flight after 10 s");
      }
      decisions.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The answer cache; for tests in this package. */
  AnswerCache cache() {
    return cache;
  }

  /** The pre-generation of variants; for tests in this package. */
  Dreamer dreamer() {
    return dreamer;
  }

  /** Number of stored answers. */
  public long entries() {
    return cache.size();
  }

  /**
   * Writes what this instance shares beside answers at a pace of its own (evidence, hit counts)
   * now, rather than at the next tick; nothing without shared storage.
   */
  void shareNow() {
    if (shared != null) {
      shared.flush();
    }
  }

  @Override
  public void close() {
    app.stop();
    stored.close();
    try {
      cached.awaitIdle(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cached.close();
    Background.stop(timers, Duration.ofSeconds(5), "the timers");
    recompute.close();
    dreamer.close();
    hits.save();
    ledger.close();
    if (shared != null) {
      shared.close();
    }
    documents.close();
    cache.close();
    if (embeddings != null) {
      embeddings.close();
    }
    embedder.close();
    upstream.close(); // after everything that calls it
    // Last: a request still running after the wait above writes its line straight out.
    decisions.close();
    if (lock != null) {
      lock.close(); // after every file in the directory is closed
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
