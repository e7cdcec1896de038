package dev.bound.gateway.observe;

import dev.bound.gateway.EnergyAccounting;
import dev.bound.gateway.Matching;
import dev.bound.gateway.embeddings.EmbeddingsEndpoint;
import dev.bound.gateway.protocol.Protocol;
import dev.bound.models.energy.Deployment;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Prometheus metrics at {@code GET /metrics}: outcomes, latencies, tokens, energy, carbon and
 * money, index size and upstream errors. Open without a token: the series hold counts and timings
 * only, never a prompt, model, tenant or entry id.
 */
public final class Metrics implements Outcome.Observer {
  static final List<String> TIERS =
      List.of("HIT-EXACT", "HIT-SEMANTIC", "HIT-BOUND", "HIT-VARIANT", "MISS", "BYPASS");
  static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS_FORMAT =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final String[] BANDS = {"central", "low", "high"};
  private static final double JOULES_PER_WH = 3600;

  // Service-level buckets rather than percentile histograms: a few dozen series per timer, and
  // they aggregate across instances (histogram_quantile), which client-side percentiles do not.
  private static final Duration[] REQUEST_BUCKETS = millis(5, 10, 25, 50, 100, 250, 500, 1000,
      2500, 5000, 10_000, 30_000, 60_000, 120_000);
  private static final Duration[] LOCAL_BUCKETS = micros(250, 500, 1000, 2500, 5000, 10_000,
      25_000, 50_000, 100_000, 250_000, 1_000_000);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Deployment deployment;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();
  private final Map<String, Timer> upstream = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final Timer embedding;
  private final Timer search;
  private final DistributionSummary batch;
  private final Counter promptTokens;
  private final Counter completionTokens;
  private final Counter[] energyAvoided = new Counter[3];
  private final Counter[] carbonAvoided = new Counter[3];
  private final Counter[] moneyAvoided = new Counter[3];
  private final Counter energySpent;
  private final Counter carbonSpent;
  private final Counter moneySpent;
  /** What the function counters read: Micrometer holds those weakly, this instance strongly. */
  private final List<LongSupplier> counted = new CopyOnWriteArrayList<>();
  private final Counter aborts;
  private final Counter overloaded;
  private final Counter lookedUpBeside;
  private final Counter upstreamCancelled;
  private final Counter coalesced;
  private final Map<String, Counter> apiCost = new ConcurrentHashMap<>();
  private final Counter apiUnpriced;
  private final LongAdder total = new LongAdder();
  private final LongAdder hits = new LongAdder();

  /**
   * @param entries number of stored answers, read at each scrape
   * @param documents number of active bound documents, read at each scrape
   * @param deployment gives the grid intensity, price and currency of Bound's own spend
   */
  public Metrics(LongSupplier entries, LongSupplier documents, Deployment deployment) {
    this.deployment = deployment;
    for (Protocol p : Protocol.all()) {
      for (String tier : TIERS) {
        requestCounter(p.name(), tier); // every series exists from the start, at 0
      }
    }
    for (String tier : EmbeddingsEndpoint.TIERS) {
      requestCounter(EmbeddingsEndpoint.NAME, tier);
    }
    embedding = Timer.builder("bound.embedding.duration")
        .description("Time to embed the prompt of a request (0 when not embedded)")
        .serviceLevelObjectives(LOCAL_BUCKETS).register(registry);
    search = Timer.builder("bound.search.duration")
        .description("Time to search the vector index for a request")
        .serviceLevelObjectives(LOCAL_BUCKETS).register(registry);
    batch = DistributionSummary.builder("bound.embedding.batch.size")
        .description("Prompts embedded per call of the embedding model")
        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
    promptTokens = Counter.builder("bound.tokens.avoided").tag("kind", "prompt")
        .description("Tokens the upstream did not process because a hit answered").register(registry);
    completionTokens = Counter.builder("bound.tokens.avoided").tag("kind", "completion")
        .description("Tokens the upstream did not process because a hit answered").register(registry);
    for (int i = 0; i < BANDS.length; i++) {
      energyAvoided[i] = Counter.builder("bound.energy.avoided").baseUnit("joules")
          .tag("band", BANDS[i])
          .description("Upstream energy not spent thanks to hits (gross, before Bound's own)")
          .register(registry);
      carbonAvoided[i] = Counter.builder("bound.carbon.avoided").baseUnit("grams")
          .tag("band", BANDS[i])
          .description("gCO2e of the upstream energy avoided (gross)").register(registry);
      moneyAvoided[i] = Counter.builder("bound.electricity.cost.avoided")
          .tags("band", BANDS[i], "currency", deployment.currency())
          .description("Price of the upstream electricity avoided (gross)").register(registry);
    }
    energySpent = Counter.builder("bound.energy.spent").baseUnit("joules")
        .description("Bound's own energy for embedding and search, every request")
        .register(registry);
    carbonSpent = Counter.builder("bound.carbon.spent").baseUnit("grams")
        .description("gCO2e of Bound's own energy").register(registry);
    moneySpent = Counter.builder("bound.electricity.cost.spent")
        .tag("currency", deployment.currency())
        .description("Price of Bound's own electricity").register(registry);
    apiUnpriced = Counter.builder("bound.api.unpriced.hits")
        .description("Hits on models with no known API price; bound_api_cost_avoided leaves "
            + "them out").register(registry);
    aborts = Counter.builder("bound.client.aborts")
        .description("Requests whose client left before the answer was complete")
        .register(registry);
    overloaded = Counter.builder("bound.overloaded")
        .description("Requests sent upstream unjudged because the semantic tier had no room "
            + "within cache.semantic-budget (reason overloaded)")
        .register(registry);
    lookedUpBeside = Counter.builder("bound.looked.up.beside")
        .description("Misses whose semantic lookup ran beside the upstream call, the tenant's "
            + "lookups having found next to nothing lately, and found nothing to serve in time "
            + "(reason looked_up_beside)")
        .register(registry);
    upstreamCancelled = Counter.builder("bound.upstream.cancelled")
        .description("Upstream calls cut short because the lookup beside them found an answer "
            + "to serve first")
        .register(registry);
    coalesced = Counter.builder("bound.coalesced")
        .description("Misses that waited for an identical miss already on its way upstream and "
            + "were served its answer")
        .register(registry);
    Gauge.builder("bound.cache.hit.ratio", this, Metrics::hitRatio)
        .description("Hits over requests on the cached endpoints since start")
        .strongReference(true).register(registry);
    // Strong references: the suppliers are lambdas that nothing else holds.
    Gauge.builder("bound.index.entries", entries, Metrics::entries)
        .description("Answers in the index").strongReference(true).register(registry);
    Gauge.builder("bound.documents", documents, s -> s.getAsLong())
        .description("Active bound documents").strongReference(true).register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * Adds the error bound's gauges: the live wrong-hit estimate of sampled verification with its
   * 95 % interval (NaN until there are samples), the sample counts of verification and of
   * feedback (apart: feedback is not a random sample), and the bound's target, threshold and
   * predicted rate (NaN when cache.error-rate is not set; a threshold of +Inf serves nothing).
   */
  public void errorBound(Matching matching) {
    WrongHitEstimate e = matching.estimate();
    for (String band : new String[] {"estimate", "low", "high"}) {
      Gauge.builder("bound.wrong.hit.rate", e, x -> {
        WrongHitEstimate.Interval i = x.overall().interval();
        return switch (band) {
          case "low" -> i.low();
          case "high" -> i.high();
          default -> i.estimate();
        };
      }).tag("bound", band)
          .description("Share of served semantic hits that are wrong, from sampled verification, "
              + "with its 95 % Wilson interval; NaN until a would-be hit has been verified")
          .strongReference(true).register(registry);
    }
    Gauge.builder("bound.wrong.hit.samples", e, x -> x.overall().verified())
        .tag("source", "verification")
        .description("Would-be hits checked against a fresh answer (verification), or semantic "
            + "hits rated (feedback; not a random sample)")
        .strongReference(true).register(registry);
    Gauge.builder("bound.wrong.hit.samples", e, x -> x.overall().feedbackGood()
        + x.overall().feedbackBad()).tag("source", "feedback")
        .strongReference(true).register(registry);
    Gauge.builder("bound.wrong.hits", e, x -> x.overall().verifiedWrong())
        .tag("source", "verification")
        .description("Of those samples, the wrong ones: contradicted by the fresh answer, or "
            + "rated bad")
        .strongReference(true).register(registry);
    Gauge.builder("bound.wrong.hits", e, x -> x.overall().feedbackBad()).tag("source", "feedback")
        .strongReference(true).register(registry);
    Gauge.builder("bound.error.bound.target", matching, Matching::errorRate)
        .description("cache.error-rate: the tolerated share of wrong semantic hits; NaN when off")
        .strongReference(true).register(registry);
    Gauge.builder("bound.error.bound.threshold", matching, Matching::errorBoundThreshold)
        .description("The matcher score from which the error bound serves now; +Inf serves "
            + "nothing, NaN when off")
        .strongReference(true).register(registry);
    Gauge.builder("bound.error.bound.predicted.rate", matching, Matching::predictedErrorRate)
        .description("The pooled calibration's expected share of wrong hits at that threshold")
        .strongReference(true).register(registry);
  }

  /**
   * Adds the durability gauges: answers acknowledged but not yet searchable in the index, and
   * journaled answers not yet forced to the device.
   */
  public void durability(LongSupplier backlog, LongSupplier unflushed) {
    Gauge.builder("bound.index.backlog", backlog, s -> s.getAsLong())
        .description("Answers sent to clients but not yet searchable in the index (exact hits "
            + "meanwhile; in the journal)").strongReference(true).register(registry);
    Gauge.builder("bound.journal.unflushed", unflushed, s -> s.getAsLong())
        .description("Journaled answers not yet forced to the device (storage.journal-flush)")
        .strongReference(true).register(registry);
  }

  /**
   * Adds what the semantic tier's lookups have lately been worth: the running share that found
   * something to serve, the share of requests that would wait for a semantic thread that it
   * takes because of it, how busy its threads have lately been, and how many it may run now.
   */
  public void semanticValue(DoubleSupplier found, DoubleSupplier admitted, DoubleSupplier busy,
      DoubleSupplier threads) {
    Gauge.builder("bound.semantic.found.share", found, DoubleSupplier::getAsDouble)
        .description("Running share of semantic lookups (about the last 32) that found a hit or "
            + "a document to serve").strongReference(true).register(registry);
    Gauge.builder("bound.semantic.admitted.share", admitted, DoubleSupplier::getAsDouble)
        .description("Share of requests that would wait for a semantic thread taken now: 1 while "
            + "at least a fifth of lookups find something, down to 0.1 when none do (reason "
            + "overloaded for the rest)").strongReference(true).register(registry);
    Gauge.builder("bound.semantic.busy.share", busy, DoubleSupplier::getAsDouble)
        .description("Share of the semantic threads' time spent working over about the last "
            + "second; while lookups find little and more requests are in flight than cores, "
            + "lookups past the admitted share (at least 0.1) are overloaded")
        .strongReference(true).register(registry);
    Gauge.builder("bound.semantic.threads", threads, DoubleSupplier::getAsDouble)
        .description("Semantic threads the pool may run now: by default one per core but one "
            + "while lookups find little, every core once a fifth of them find something")
        .strongReference(true).register(registry);
  }

  /**
   * Adds the overload counts of the indexer: answers of shed requests stored for exact hits
   * first, those since stored again with their vector, and those still waiting for it.
   */
  public void deferred(LongSupplier total, LongSupplier backfilled, LongSupplier waiting) {
    functionCounter("bound.index.deferred", total, "Answers of requests the semantic tier shed, "
        + "stored for exact hits at once and embedded only after a second with nothing shed");
    functionCounter("bound.index.backfilled", backfilled, "Deferred answers since stored again "
        + "with their vector");
    Gauge.builder("bound.index.deferred.waiting", waiting, s -> s.getAsLong())
        .description("Deferred answers still waiting for their vector (semantic hits once they "
            + "have it)").strongReference(true).register(registry);
  }

  private void functionCounter(String name, LongSupplier value, String description) {
    counted.add(value);
    FunctionCounter.builder(name, value, LongSupplier::getAsLong).description(description)
        .register(registry);
  }

  /** Starts the API-bill counter at 0 in the price table's currency, before the first hit. */
  public void apiCurrency(String currency) {
    apiCostCounter(currency);
  }

  private Counter apiCostCounter(String currency) {
    return apiCost.computeIfAbsent(currency, c -> Counter.builder("bound.api.cost.avoided")
        .tag("currency", c)
        .description("What hits kept off the API bill at the providers' list prices (see "
            + "price.file); not electricity").register(registry));
  }

  public void register(RoutesConfig routes) {
    routes.get("/metrics", this::scrape);
  }

  /**
   * Records how many prompts one call of the embedding model took. Until the embedder batches,
   * {@link #observe} records a batch of 1 for every embedded request.
   */
  void embeddingBatch(int size) {
    batch.record(size);
  }

  @Override
  public void observe(Outcome o) {
    String endpoint = o.endpoint();
    requestCounter(endpoint, o.tier()).increment();
    total.increment();
    if (o.hit()) {
      hits.increment();
      promptTokens.increment(o.promptTokens());
      completionTokens.increment(o.completionTokens());
      if (o.apiCost() != null && o.apiCost().priced()) {
        apiCostCounter(o.apiCost().currency()).increment(positive(o.apiCost().amount()));
      } else {
        apiUnpriced.increment();
      }
    }
    latency.computeIfAbsent(endpoint + ' ' + o.tier(), k -> Timer
        .builder("bound.request.duration")
        .description("Whole request on a cached endpoint, to the last byte sent")
        .tags("endpoint", endpoint, "outcome", o.tier())
        .serviceLevelObjectives(REQUEST_BUCKETS).register(registry))
        .record(o.latencyNanos(), TimeUnit.NANOSECONDS);
    if (o.embedNanos() > 0) {
      embedding.record(o.embedNanos(), TimeUnit.NANOSECONDS);
      embeddingBatch(1);
    }
    if (o.searchNanos() > 0) {
      search.record(o.searchNanos(), TimeUnit.NANOSECONDS);
    }
    if (o.upstreamNanos() > 0) {
      upstream.computeIfAbsent(endpoint, k -> Timer.builder("bound.upstream.duration")
          .description("Time the upstream took, to its last byte")
          .tag("endpoint", endpoint)
          .serviceLevelObjectives(REQUEST_BUCKETS).register(registry))
          .record(o.upstreamNanos(), TimeUnit.NANOSECONDS);
    }
    if ("overloaded".equals(o.reason())) {
      overloaded.increment();
    }
    if ("looked_up_beside".equals(o.reason())) {
      lookedUpBeside.increment();
    }
    if (o.upstreamCancelled()) {
      upstreamCancelled.increment();
    }
    if (o.coalesced()) {
      coalesced.increment();
    }
    if ("aborted".equals(o.error())) {
      aborts.increment();
    } else {
      String kind = o.error() != null ? o.error()
          : o.upstreamStatus() >= 500 ? "status_5xx"
          : o.upstreamStatus() >= 400 ? "status_4xx" : null;
      if (kind != null) {
        errors.computeIfAbsent(endpoint + ' ' + kind, k -> Counter
            .builder("bound.upstream.errors")
            .description("Requests the upstream failed: upstream_timeout, upstream_unreachable, "
                + "status_4xx or status_5xx (it answered with an error status)")
            .tags("endpoint", endpoint, "kind", kind).register(registry)).increment();
      }
    }
    account(o.account());
  }

  /** Splits a net account into the gross saving and Bound's own spend, both never negative. */
  private void account(EnergyAccounting.Account a) {
    double own = Math.max(0, a.boundWh());
    double ownKwh = own / 1000;
    double ownG = ownKwh * deployment.gridIntensity();
    double ownMoney = ownKwh * deployment.pricePerKwh();
    double[] wh = {a.wh(), a.whLow(), a.whHigh()};
    double[] g = {a.gco2e(), a.gco2eLow(), a.gco2eHigh()};
    double[] m = {a.money(), a.moneyLow(), a.moneyHigh()};
    for (int i = 0; i < BANDS.length; i++) {
      energyAvoided[i].increment(positive((wh[i] + own) * JOULES_PER_WH));
      carbonAvoided[i].increment(positive(g[i] + ownG));
      moneyAvoided[i].increment(positive(m[i] + ownMoney));
    }
    energySpent.increment(own * JOULES_PER_WH);
    carbonSpent.increment(ownG);
    moneySpent.increment(ownMoney);
  }

  /** A miss's gross saving is zero; rounding in the net figure must not make it negative. */
  private static double positive(double v) {
    return v > 1e-12 && Double.isFinite(v) ? v : 0;
  }

  private Counter requestCounter(String endpoint, String tier) {
    return requests.computeIfAbsent(endpoint + ' ' + tier, k -> Counter
        .builder("bound.requests")
        .description("Requests on the cached endpoints, by X-Bound-Cache outcome")
        .tags(Tags.of("endpoint", endpoint, "outcome", tier)).register(registry));
  }

  /** The stored answers, or NaN while the storage cannot say (Solr down or hanging). */
  private static double entries(LongSupplier entries) {
    try {
      return entries.getAsLong();
    } catch (dev.bound.index.StorageUnavailableException e) {
      return Double.NaN;
    }
  }

  private double hitRatio() {
    long n = total.sum();
    return n == 0 ? 0 : (double) hits.sum() / n;
  }

  private void scrape(Context ctx) {
    String accept = ctx.header("Accept");
    String type = accept != null
        && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text")
        ? OPENMETRICS_FORMAT : TEXT_FORMAT;
    ctx.contentType(type).result(registry.scrape(type));
  }

  private static Duration[] millis(long... ms) {
    Duration[] d = new Duration[ms.length];
    for (int i = 0; i < ms.length; i++) {
      d[i] = Duration.ofMillis(ms[i]);
    }
    return d;
  }

  private static Duration[] micros(long... us) {
    Duration[] d = new Duration[us.length];
    for (int i = 0; i < us.length; i++) {
      d[i] = Duration.ofNanos(us[i] * 1000);
    }
    return d;
  }
}
