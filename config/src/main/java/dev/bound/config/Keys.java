package dev.bound.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Every configuration key Bound reads, in the order the reference documents them. */
public final class Keys {
  private Keys() {}

  public static final Key<String> HOST = new Key<>("server.host", "--host", "127.0.0.1",
      "a host name or IP address", "Address to listen on; 0.0.0.0 listens on every interface.",
      Values.hostName());
  public static final Key<Integer> PORT = new Key<>("server.port", "--port", "8080",
      "an integer from 0 to 65535 (0 picks a free port)", "Port to listen on.",
      Values.integer(0, 65535));
  public static final Key<Long> MAX_BODY = new Key<>("server.max-body", "--max-body", "4MiB",
      "a size from 1KiB to 1GiB, such as 65536, 512KiB or 4MiB",
      "Largest request body accepted; larger ones get HTTP 400.",
      Values.size(1L << 10, 1L << 30));
  public static final Key<Duration> IDLE_TIMEOUT = new Key<>("server.idle-timeout",
      "--idle-timeout", "30s", "a duration from 1s to 1h",
      "Longest a connection may take over a request's headers, or sit idle between requests, "
          + "before it is closed; a client that sends headers a byte at a time is cut off too.",
      Values.duration(Duration.ofSeconds(1), Duration.ofHours(1)));
  public static final Key<String> ALLOWED_HOSTS = new Key<>("server.allowed-hosts",
      "--allowed-hosts", "", "a comma-separated list of host names (a port is allowed and "
          + "ignored), or * for any; empty: localhost, 127.0.0.1 and [::1] when server.host is a "
          + "loopback address, any otherwise",
      "Host header values a request may carry; others get HTTP 403 (a guard against DNS "
          + "rebinding).", Values.text());
  public static final Key<String> CORS_ORIGINS = new Key<>("server.cors-origins",
      "--cors-origins", "", "a comma-separated list of origins such as https://app.example, "
          + "or * for any; empty sends no CORS headers",
      "Web origins allowed to call Bound from a browser; the upstream's own CORS headers are "
          + "never passed on.", Values.text());
  public static final Key<Path> DATA = new Key<>("data.dir", "--data", "./bound-data",
      "a directory path", "Where the index, the models and all other state live.",
      s -> {
        if (s.isEmpty()) {
          throw new IllegalArgumentException("empty");
        }
        return Path.of(s);
      });

  public static final Key<URI> UPSTREAM = new Key<>("upstream.url", "--upstream", "",
      "an http or https base URL, as given to an OpenAI SDK (usually ending in /v1)",
      "The OpenAI-compatible endpoint that answers misses. Required by 'serve'.",
      Values.httpUrlOrEmpty());
  public static final Key<String> UPSTREAM_KEY = new Key<>("upstream.api-key", "--upstream-key",
      "", "any text; empty passes the client's Authorization header through",
      "API key sent upstream instead of the client's own Authorization header.", Values.text());
  public static final Key<Duration> UPSTREAM_TIMEOUT = new Key<>("upstream.timeout",
      "--upstream-timeout", "120s", "a duration from 100ms to 1h, such as 500ms, 30s or 5m",
      "How long to wait for the upstream's whole answer before giving the client a 504.",
      Values.duration(Duration.ofMillis(100), Duration.ofHours(1)));
  public static final Key<Duration> UPSTREAM_CONNECT_TIMEOUT = new Key<>(
      "upstream.connect-timeout", "--upstream-connect-timeout", "5s",
      "a duration from 10ms to 5m", "How long to wait for a connection to the upstream.",
      Values.duration(Duration.ofMillis(10), Duration.ofMinutes(5)));

  public static final Key<Duration> UPSTREAM_KEY_CHECK = new Key<>("upstream.key-check",
      "--upstream-key-check", "10m", "a duration from 0s to 24h; 0s turns the check off",
      "How long a client's key the upstream accepted may be served stored answers before the "
          + "upstream is asked again (GET /v1/models with that key). Unused when upstream.api-key "
          + "is set, since the client's key never reaches the upstream then.",
      Values.duration(Duration.ZERO, Duration.ofDays(1)));
  public static final Key<Duration> JOURNAL_FLUSH = new Key<>("storage.journal-flush",
      "--journal-flush", "1s", "a duration from 0ms to 1m; 0ms forces every answer before its "
          + "response is sent", "How often the journal of fresh answers is forced to disk. A "
          + "crashed process loses no answer that was sent; a crashed machine at most this "
          + "interval's.", Values.duration(Duration.ZERO, Duration.ofMinutes(1)));
  public static final Key<Integer> MAX_BACKLOG = new Key<>("storage.max-backlog",
      "--max-backlog", "10000", "an integer from 1 to 10000000", "Answers waiting for the "
          + "index above which GET /readyz answers 503, so a load balancer sends traffic "
          + "elsewhere until the indexer catches up.", Values.integer(1, 10_000_000));
  public static final Key<Integer> MAX_SEGMENTS = new Key<>("storage.max-segments",
      "--max-segments", "1", "an integer from 0 to 1000; 0 leaves merging to Lucene alone",
      "Index segments above which the answer index merges itself once no answer has been "
          + "stored for 30 s. Each segment is a graph of its own that every search walks (side by "
          + "side on cores no other search is using), so fewer segments search faster; a merge "
          + "rewrites what it merges (minutes of one core at a million entries) and needs that "
          + "much free disk while it runs (see Performance).",
      Values.integer(0, 1000));

  public static final Key<String> STORAGE_BACKEND = new Key<>("storage.backend",
      "--storage", "embedded", "embedded or solr", "Where answers are stored: the embedded "
          + "Lucene index in data.dir (one instance), or a SolrCloud collection that several "
          + "Bound instances share.", Values.oneOf(Set.of("embedded", "solr")));
  public static final Key<String> SOLR_URLS = new Key<>("storage.solr.urls", "--solr-urls", "",
      "a comma-separated list of Solr base URLs such as http://solr1:8983/solr; one reachable "
          + "node is enough, the rest of the cluster is found from it",
      "The SolrCloud nodes Bound first contacts; required when storage.backend is solr.",
      Values.text());
  public static final Key<String> SOLR_COLLECTION = new Key<>("storage.solr.collection",
      "--solr-collection", "bound", "a Solr collection name (letters, digits, '.', '_', '-')",
      "The collection that holds the shared answers; created on first start if missing.",
      Values.text());
  public static final Key<String> SOLR_USER = new Key<>("storage.solr.user", "--solr-user", "",
      "a user name; empty sends no credentials", "User for Solr's basic authentication.",
      Values.text());
  public static final Key<String> SOLR_PASSWORD = new Key<>("storage.solr.password",
      "--solr-password", "", "any text", "Password for Solr's basic authentication. Prefer the "
          + "environment variable: a flag shows in the process list.", Values.text());
  public static final Key<Integer> SOLR_SHARDS = new Key<>("storage.solr.shards",
      "--solr-shards", "1", "an integer from 1 to 1024", "Shards of a collection Bound creates.",
      Values.integer(1, 1024));
  public static final Key<Integer> SOLR_REPLICAS = new Key<>("storage.solr.replicas",
      "--solr-replicas", "2", "an integer from 1 to 16", "Copies of each shard in a collection "
          + "Bound creates; with 2 or more, one Solr node can go down without losing service.",
      Values.integer(1, 16));
  public static final Key<Duration> SOLR_SOFT_COMMIT = new Key<>("storage.solr.soft-commit",
      "--solr-soft-commit", "500ms", "a duration from 100ms to 1m", "How soon an answer one "
          + "instance stores becomes a semantic hit on every instance: the soft commit interval "
          + "written into the configset of a collection Bound creates (exact hits see an answer "
          + "at once).",
      Values.duration(Duration.ofMillis(100), Duration.ofMinutes(1)));
  public static final Key<Duration> SOLR_TIMEOUT = new Key<>("storage.solr.timeout",
      "--solr-timeout", "2s", "a duration from 100ms to 1m", "How long one request to Solr may "
          + "take before Bound answers from the upstream alone (storage_unavailable).",
      Values.duration(Duration.ofMillis(100), Duration.ofMinutes(1)));

  public static final Key<Boolean> CACHE_ENABLED = new Key<>("cache.enabled", "--cache",
      "true", "true or false", "When false every request goes upstream and nothing is stored.",
      Values.bool());
  public static final Key<Double> MAX_TEMPERATURE = new Key<>("cache.max-temperature",
      "--max-temperature", "0.3", "a number from 0 to 2",
      "Requests sampled above this temperature ask for novelty and bypass the cache.",
      Values.decimal(0, 2));
  public static final Key<Double> ASSUMED_TEMPERATURE = new Key<>("cache.assumed-temperature",
      "--assumed-temperature", "1.0", "a number from 0 to 2",
      "Temperature assumed for a request that sets none (the OpenAI API's default is 1).",
      Values.decimal(0, 2));
  public static final Key<Double> THRESHOLD = new Key<>("cache.threshold", "--threshold", "0.85",
      "a number from 0 to 1", "Lowest cosine similarity at which a stored answer is served "
          + "for a new prompt (the semantic tier).", Values.decimal(0, 1));
  public static final Key<Long> HOT_TIER = new Key<>("cache.hot-tier", "--hot-tier", "256MiB",
      "a size from 0 to 64GiB", "Memory for the in-memory exact tier (Caffeine).",
      Values.size(0, 64L << 30));
  public static final Key<Boolean> CACHE_TOOL_CALLS = new Key<>("cache.tool-calls",
      "--cache-tool-calls", "false", "true or false",
      "Store and serve answers that call tools. Off by default: tool calls usually act on the "
          + "world, so replaying one is rarely what the client wants.", Values.bool());

  public static final Key<Long> MAX_ANSWER = new Key<>("cache.max-answer-bytes",
      "--max-answer-bytes", "4MiB", "a size from 1KiB to 16MiB",
      "Largest answer, as stored JSON, that is kept; a larger one still reaches its client but "
          + "is not stored.", Values.size(1L << 10, 16L << 20));

  public static final Key<Boolean> EMBEDDINGS_ENABLED = new Key<>("cache.embeddings.enabled",
      "--cache-embeddings", "true", "true or false", "Keep what the upstream answers to POST "
          + "/v1/embeddings, per input item, and send it only the items not stored yet; false "
          + "passes the endpoint through untouched.", Values.bool());
  public static final Key<Long> EMBEDDINGS_HOT_TIER = new Key<>("cache.embeddings.hot-tier",
      "--embeddings-hot-tier", "128MiB", "a size from 0 to 64GiB",
      "Memory for stored embeddings kept in memory (Caffeine) in front of their index on disk.",
      Values.size(0, 64L << 30));

  public static final Key<Boolean> VARIANTS_ENABLED = new Key<>("cache.variants.enabled",
      "--variants", "true", "true or false", "Answer requests above cache.max-temperature from "
          + "pools of different answers the upstream gave at that temperature, once a pool is "
          + "full; false sends every such request upstream.", Values.bool());
  public static final Key<Integer> VARIANT_POOL_SIZE = new Key<>("cache.variants.pool-size",
      "--variant-pool-size", "4", "an integer from 2 to 64",
      "Different answers a pool needs at temperature 1.0 before it serves; a pool for the "
          + "temperature band up to t (0.5 wide) needs this many times t (at least 2, at most 4 "
          + "times this).",
      Values.integer(2, 64));

  public static final Key<Boolean> DREAM_ENABLED = new Key<>("cache.variants.dream.enabled",
      "--dream", "false", "true or false", "Pre-generate variants, upstream, for pools asked at "
          + "least cache.variants.dream.min-asks times but not yet full, during the day's "
          + "cleanest hours. Needs upstream.api-key: a client's key is never kept for it.",
      Values.bool());
  public static final Key<String> DREAM_INTENSITY = new Key<>("cache.variants.dream.intensity",
      "--dream-intensity", "", "24 comma-separated numbers from 0 to 5000, the gCO2e/kWh of "
          + "the hours 0 to 23 UTC; empty reads cache.variants.dream.intensity-file",
      "Hourly grid carbon intensity that picks the pre-generation window and prices it.",
      Values.hourly());
  public static final Key<String> DREAM_INTENSITY_FILE = new Key<>(
      "cache.variants.dream.intensity-file", "--dream-intensity-file", "", "a CSV file path "
          + "(see \"Dreaming when energy is cheap\"); empty: every hour at "
          + "energy.deployment.grid-intensity",
      "Grid carbon intensity export (zone, time, gCO2e/kWh), hourly or in steps of 5 to 30 "
          + "minutes, re-read when it changes.",
      Values.text());
  public static final Key<String> DREAM_ZONE = new Key<>("cache.variants.dream.zone",
      "--dream-zone", "", "a zone id as the CSV names it, such as DE or US-CAL-CISO; empty when "
          + "the file holds one zone", "Which zone's rows of the intensity file are read.",
      Values.text());
  public static final Key<Double> DREAM_CLEAN_HOURS = new Key<>(
      "cache.variants.dream.clean-hours", "--dream-clean-hours", "6", "a number from 0.05 to "
          + "24, rounded to whole slots of the profile (at least one)",
      "How many hours of the day's cleanest slots (hours, or the file's 5- to 30-minute steps), "
          + "by the intensity profile, pre-generation runs in.",
      Values.decimal(0.05, 24));
  public static final Key<Integer> DREAM_REQUESTS_PER_HOUR = new Key<>(
      "cache.variants.dream.requests-per-hour", "--dream-requests-per-hour", "60",
      "an integer from 1 to 1000000", "Most upstream requests pre-generation starts in one "
          + "clock hour.", Values.integer(1, 1_000_000));
  public static final Key<Integer> DREAM_TOKENS_PER_DAY = new Key<>(
      "cache.variants.dream.tokens-per-day", "--dream-tokens-per-day", "500000",
      "an integer from 1 to 2000000000", "Most tokens (prompt and completion, as the upstream "
          + "reports them) pre-generation spends in one UTC day.",
      Values.integer(1, 2_000_000_000));
  public static final Key<Integer> DREAM_CONCURRENCY = new Key<>(
      "cache.variants.dream.concurrency", "--dream-concurrency", "2", "an integer from 1 to 64",
      "Most pre-generation requests in flight at once.", Values.integer(1, 64));
  public static final Key<Double> DREAM_PAUSE_RPS = new Key<>(
      "cache.variants.dream.pause-above-rps", "--dream-pause-above-rps", "5",
      "a number from 0 to 1000000", "Live requests per second (over the last 10 s) above which "
          + "pre-generation waits, so it never competes with clients for the upstream.",
      Values.decimal(0, 1_000_000));
  public static final Key<Integer> DREAM_MIN_ASKS = new Key<>("cache.variants.dream.min-asks",
      "--dream-min-asks", "2", "an integer from 1 to 1000000",
      "Live requests a pool needs before it is pre-generated for.",
      Values.integer(1, 1_000_000));
  public static final Key<Duration> DREAM_INTERVAL = new Key<>("cache.variants.dream.interval",
      "--dream-interval", "10s", "a duration from 100ms to 1h",
      "How often the pre-generation scheduler looks for work.",
      Values.duration(Duration.ofMillis(100), Duration.ofHours(1)));
  public static final Key<Duration> SEMANTIC_BUDGET = new Key<>("cache.semantic-budget",
      "--semantic-budget", "40ms", "a duration from 1ms to 1m",
      "Longest a request waits for the semantic tier: the work queued ahead of its lookup on "
          + "the semantic pool, then its own (embedding, language guard, verifier). When that "
          + "would outlast the budget, with the pool's queue full, or when its lookup has not "
          + "started early enough to end within it, the request gets the exact tier only and "
          + "goes upstream with reason overloaded. Under overload a semantic hit's whole time "
          + "sits near this, so keep it some milliseconds below the latency you promise.",
      Values.duration(Duration.ofMillis(1), Duration.ofMinutes(1)));
  public static final Key<Integer> SEMANTIC_THREADS = new Key<>("cache.semantic-threads",
      "--semantic-threads", "0",
      "an integer from 0 to 1024 (0 means one per CPU core but one, at least one, while "
          + "lookups find little, and one per core once a fifth of them find something)",
      "Platform threads that embed prompts and run the language guard and the verifier, off "
          + "the request threads; by default a core is left to the requests themselves while "
          + "lookups are not worth it.",
      Values.integer(0, 1024));
  public static final Key<Long> PROMPT_VECTORS = new Key<>("cache.prompt-vectors",
      "--prompt-vectors", "8MiB", "a size from 0 to 1GiB (0 keeps none)",
      "Memory, per embedding model, for the vectors of prompts lately looked up, so that a "
          + "wording asked again (a paraphrase served from another prompt's answer, a no-store "
          + "request) is not embedded again; the same text always gives the same vector, so no "
          + "decision changes.", Values.size(0, 1L << 30));
  public static final Key<Integer> SEMANTIC_QUEUE = new Key<>("cache.semantic-queue",
      "--semantic-queue", "256", "an integer from 1 to 100000",
      "Requests that may wait for a semantic thread; one more is overloaded at once.",
      Values.integer(1, 100_000));

  public static final Key<Integer> REPLAY_TPS = new Key<>("cache.replay-tokens-per-second",
      "--replay-tokens-per-second", "0", "an integer from 0 to 100000 (0 means unpaced)",
      "Pace at which a hit is replayed to a streaming client, in words per second.",
      Values.integer(0, 100_000));

  public static final Key<String> MATCHER = new Key<>("cache.matcher", "--matcher",
      "verified-lexical", "cosine, verified-lexical or verified", "How a stored prompt found by "
          + "vector search is judged to mean the same as the new one: plain cosine, a learned "
          + "verifier (a small network over both prompts' vectors and lexical checks), or that "
          + "verifier with a second embedding model's vectors too (bge-small; slower). See "
          + "models/MATCHING.md.",
      Values.oneOf(Set.of("cosine", "verified-lexical", "verified")));
  public static final Key<Boolean> SOFTWARE_SECOND_MODEL = new Key<>(
      "cache.software-second-model", "--software-second-model", "true", "true or false",
      "With cache.matcher=verified-lexical, judge two prompts that both name a piece of software "
          + "(\"docker compose down\", \"pandas drop rows\") with the verified network, which "
          + "also reads the second embedding model's vectors (bge-small, loaded on first use): on "
          + "held-out developer questions it serves more rewordings and fewer look-alikes, for "
          + "about 3.5 ms more per such lookup. Other prompts are not embedded twice. See "
          + "models/MATCHING.md.",
      Values.bool());
  public static final Key<String> SECOND_OPINION = new Key<>("cache.second-opinion",
      "--second-opinion", "0.4-0.95", "two scores LOW-HIGH with 0 <= LOW <= HIGH <= 1, or none",
      "With cache.matcher=verified-lexical and cache.software-second-model on, a pair that the "
          + "lexical verifier scores from LOW to HIGH is judged again by the verified network, "
          + "which also reads the second embedding model's vectors (bge-small): a second opinion "
          + "where the first is least sure. It serves more rewordings and fewer look-alikes on "
          + "held-out prompts, for a second-model embedding of the new prompt (7.4 ms at the "
          + "median for a 130-character prompt on two cores) per lookup whose best candidate "
          + "scores in the band; stored prompts are embedded with it off the request path, and "
          + "while many lookups ask, a prompt's embedding starts beside its lookup. none turns "
          + "it off. See models/MATCHING.md.",
      Values.band());
  public static final Key<String> MATCH_THRESHOLD = new Key<>("cache.match-threshold",
      "--match-threshold", "", "a number from 0 to 1; empty uses the matcher's own (cosine: "
          + "cache.threshold; the verifiers: their shipped operating point)",
      "Lowest matcher score at which a stored answer is served.", s -> {
        if (!s.isEmpty()) {
          Values.decimal(0, 1).apply(s);
        }
        return s;
      });
  public static final Key<Boolean> LANGUAGE_GUARD = new Key<>("cache.language-guard",
      "--language-guard", "true", "true or false", "Give prompts the embedding model cannot "
          + "represent well (another script, many unknown or fragmented tokens) exact hits only.",
      Values.bool());
  public static final Key<String> ERROR_RATE = new Key<>("cache.error-rate", "--error-rate", "",
      "a number from 0.001 to 0.5; empty turns the error bound off",
      "Tolerated share of wrong answers among served semantic hits: the serving threshold is "
          + "chosen from a pooled calibration of the matcher's score, learning from feedback and "
          + "sampled verification, so hits are served from the first request.", s -> {
        if (!s.isEmpty()) {
          Values.decimal(0.001, 0.5).apply(s);
        }
        return s;
      });
  public static final Key<Double> VERIFY_SAMPLE = new Key<>("cache.verify-sample-rate",
      "--verify-sample-rate", "0", "a number from 0 to 1", "Share of would-be semantic hits "
          + "also sent upstream, whose answer is compared with the stored one to learn whether "
          + "the hit would have been right.", Values.decimal(0, 1));
  public static final Key<Double> CALIBRATION_PRIOR = new Key<>("cache.calibration-prior-strength",
      "--calibration-prior-strength", "20", "a number from 1 to 10000", "How many observations "
          + "the offline prior (how often a hit at each matcher score is right) is worth in each "
          + "score bin of the pooled calibration behind cache.error-rate; larger trusts the "
          + "prior longer.",
      Values.decimal(1, 10_000));

  public static final Key<Boolean> CALIBRATION_EVIDENCE = new Key<>(
      "cache.calibration-evidence", "--calibration-evidence", "true", "true or false",
      "Start the pooled calibration behind cache.error-rate from the evidence Bound ships: how "
          + "often hits at each score were right on real questions kept out of its verifier's "
          + "training (models/MATCHING.md); false starts from the offline prior alone.",
      Values.bool());

  public static final Key<Boolean> SERVE_OLD_MODEL = new Key<>("cache.serve-old-model-versions",
      "--serve-old-model-versions", "false", "true or false", "Keep serving entries made by an "
          + "earlier version of a model after the upstream starts answering with a new one.",
      Values.bool());
  public static final Key<Double> DOC_THRESHOLD = new Key<>("documents.threshold",
      "--documents-threshold", "0.92", "a number from 0 to 1", "Lowest cosine similarity of a "
          + "prompt to a bound document's canonical question for the document to answer it "
          + "(stricter than cache.threshold).", Values.decimal(0, 1));
  public static final Key<Boolean> DOC_FOLLOW_UPS = new Key<>("documents.follow-ups",
      "--documents-follow-ups", "true", "true or false", "Let a bound document answer a chat "
          + "with earlier user or assistant turns when its last user message matches; false "
          + "keeps documents to first questions.", Values.bool());
  public static final Key<Integer> DOC_RECOMPUTE = new Key<>("documents.recompute.per-hour",
      "--documents-recompute-per-hour", "10", "a whole number from 0 to 10000; 0 turns it off",
      "Most bound documents re-asked of the upstream in an hour after its model version "
          + "changes, each answer kept as a draft for an admin to approve; 0 only flags them for "
          + "review.", Values.integer(0, 10_000));

  public static final Key<String> MODEL = new Key<>("embedding.model", "--embedding-model",
      "all-minilm-l6-v2-q", "all-minilm-l6-v2-q, bge-small-en-v1.5-q, or a name for "
          + "embedding.dir", "Sentence-embedding model for the semantic tier.", Values.text());
  public static final Key<String> MODEL_DIR = new Key<>("embedding.dir", "--embedding-dir", "",
      "a directory holding one .onnx file and tokenizer.json; empty uses the built-in model",
      "Load the embedding model from this directory instead of the built-in one.",
      Values.text());
  public static final Key<String> POOLING = new Key<>("embedding.pooling", "--embedding-pooling",
      "", "mean or cls; empty uses the built-in model's own",
      "How token vectors are pooled into one sentence vector.", s -> s.isEmpty() ? s
          : Values.oneOf(Set.of("mean", "cls")).apply(s));

  public static final Key<Duration> DEMO_TTFT = new Key<>("demo.ttft", "--demo-ttft", "250ms",
      "a duration from 0ms to 1m", "Simulated upstream: time to the first token.",
      Values.duration(Duration.ZERO, Duration.ofMinutes(1)));
  public static final Key<Integer> DEMO_TPS = new Key<>("demo.tokens-per-second",
      "--demo-tokens-per-second", "40", "an integer from 0 to 100000 (0 means no pacing)",
      "Simulated upstream: decoding speed.", Values.integer(0, 100_000));

  public static final Key<String> ENERGY_PROFILE = new Key<>("energy.default-profile",
      "--energy-profile", "llama-3.1-70b", "a built-in profile name (see models/ENERGY.md) or "
          + "one defined by energy.profile.<name>.* in the config file",
      "Model profile used to cost upstream models whose name matches no profile.", Values.text());
  public static final Key<Double> CPU_WATTS = new Key<>("energy.cpu-watts", "--cpu-watts", "15",
      "a number from 0 to 1000", "Power of one busy CPU core of Bound's host, in W; Bound's own "
          + "embedding and search time is charged at this rate.", Values.decimal(0, 1000));
  public static final Key<String> ACCELERATOR = new Key<>("energy.deployment.accelerator",
      "--accelerator", "h100-sxm", "h100-sxm, h200, a100-sxm-80gb, l4, b200, or one defined by "
          + "energy.accelerator.<name>.* in the config file",
      "Accelerator the upstream model is assumed to run on.", Values.text());
  public static final Key<Integer> ACCELERATORS = new Key<>("energy.deployment.accelerators",
      "--accelerators", "0", "an integer from 0 to 4096 (0: the fewest, a power of two, that "
          + "hold the weights and the batch's KV cache)", "Accelerators per model replica.", Values.integer(0, 4096));
  public static final Key<Integer> BATCH = new Key<>("energy.deployment.batch", "--batch", "32",
      "an integer from 1 to 4096", "Sequences decoded together, sharing each read of the "
          + "weights.", Values.integer(1, 4096));
  public static final Key<Double> PREFILL_UTIL = new Key<>(
      "energy.deployment.prefill-utilisation", "--prefill-utilisation", "0.4",
      "a number from 0.01 to 1", "Share of peak FLOP/s reached while reading a prompt.",
      Values.decimal(0.01, 1));
  public static final Key<Double> DECODE_UTIL = new Key<>("energy.deployment.decode-utilisation",
      "--decode-utilisation", "0.6", "a number from 0.01 to 1",
      "Share of peak memory bandwidth reached while generating.", Values.decimal(0.01, 1));
  public static final Key<Double> POWER_FRACTION = new Key<>("energy.deployment.power-fraction",
      "--power-fraction", "0", "0, or a number from 0.05 to 1",
      "Share of the accelerators' board power drawn under load; 0 follows the batch along the "
          + "curve fitted to ML.ENERGY's measurements (models/ENERGY.md).", Values.decimal(0, 1));
  public static final Key<Double> HOST_OVERHEAD = new Key<>("energy.deployment.host-overhead",
      "--host-overhead", "1.6", "a number from 1 to 3",
      "Energy of host CPUs and DRAM and idle reserve machines, as a multiple of the "
          + "accelerators' energy (Google 2025: 1.6; 1 counts the accelerators alone).",
      Values.decimal(1, 3));
  public static final Key<Double> PUE = new Key<>("energy.deployment.pue", "--pue", "1.56",
      "a number from 1 to 3", "Data-centre power usage effectiveness (Uptime Institute 2024 "
          + "survey average).", Values.decimal(1, 3));
  public static final Key<Double> GRID = new Key<>("energy.deployment.grid-intensity",
      "--grid-intensity", "445", "a number from 0 to 2000",
      "Grid carbon intensity in gCO2e/kWh (IEA Electricity 2025, world average 2024).",
      Values.decimal(0, 2000));
  public static final Key<Double> PRICE = new Key<>("energy.deployment.price-per-kwh",
      "--price-per-kwh", "0.10", "a number from 0 to 100", "Electricity price per kWh.",
      Values.decimal(0, 100));
  public static final Key<String> CURRENCY = new Key<>("energy.deployment.currency",
      "--currency", "USD", "a currency code", "Currency of energy.deployment.price-per-kwh.",
      Values.currencyCode());

  public static final Key<String> PRICE_FILE = new Key<>("price.file", "--price-file", "",
      "a CSV file path (columns as in the shipped table: pattern, input, cached_input, "
          + "cache_write, output, currency, source, checked); empty uses the shipped table only",
      "API list prices per million tokens, tried before the shipped table (see \"API bill "
          + "avoided\"); every row in use must have one currency.", Values.text());
  public static final Key<Boolean> PRICE_SHIPPED = new Key<>("price.shipped", "--price-shipped",
      "true", "true or false", "Use the shipped list prices (OpenAI and Anthropic, dated, with "
          + "their sources) after the rows of price.file; false prices only what price.file "
          + "lists.", Values.bool());

  public static final Key<String> ADMIN_TOKEN = new Key<>("admin.token", "--admin-token", "",
      "any text of 16 or more characters; empty turns the admin API off (404)",
      "Bearer token for the admin API under /admin/ and for the dashboard. Prefer the "
          + "environment variable: a flag shows in the process list.", Values.secret());
  public static final Key<String> DASHBOARD_TOKEN = new Key<>("dashboard.token",
      "--dashboard-token", "", "any text of 16 or more characters; empty: only the admin "
          + "token opens the dashboard", "Read-only token for the dashboard and /api/.",
      Values.secret());

  public static final Key<Boolean> SHOW_PROMPTS = new Key<>("dashboard.show-prompts",
      "--dashboard-show-prompts", "false", "true or false", "Show each latest decision's prompt "
          + "and the stored prompt it matched, and each most-hit entry's prompt, on the dashboard "
          + "and in /api/decisions and /api/top. Off by default: prompts are often sensitive, "
          + "and the dashboard token is read-only, not trusted with them.", Values.bool());
  public static final Key<String> TENANT_NAMES = new Key<>("dashboard.tenant-names",
      "--dashboard-tenant-names", "", "tenant=name pairs separated by commas, such as "
          + "key:3f2a9c0d11e4b6a7=Billing,anonymous/ns:demo=Demo; names may not hold , or =",
      "Display names for tenants on the dashboard. A name given for key:<hash> also names its "
          + "namespaces (Billing/ns:x).", Values.pairs());

  public static final Key<Boolean> LOG_DECISIONS = new Key<>("log.decisions", "--log-decisions",
      "true", "true or false", "Write one JSON line per request with its cache decision.",
      Values.bool());

  /** All keys, in reference order. */
  public static final List<Key<?>> ALL = List.of(HOST, PORT, MAX_BODY,
      IDLE_TIMEOUT, ALLOWED_HOSTS, CORS_ORIGINS, DATA, JOURNAL_FLUSH, MAX_BACKLOG, MAX_SEGMENTS, UPSTREAM,
      UPSTREAM_KEY, UPSTREAM_TIMEOUT, UPSTREAM_CONNECT_TIMEOUT, UPSTREAM_KEY_CHECK,
      CACHE_ENABLED, MAX_TEMPERATURE,
      ASSUMED_TEMPERATURE, THRESHOLD, HOT_TIER, CACHE_TOOL_CALLS, MAX_ANSWER, EMBEDDINGS_ENABLED,
      EMBEDDINGS_HOT_TIER, VARIANTS_ENABLED, VARIANT_POOL_SIZE, DREAM_ENABLED,
      DREAM_INTENSITY, DREAM_INTENSITY_FILE, DREAM_ZONE, DREAM_CLEAN_HOURS,
      DREAM_REQUESTS_PER_HOUR, DREAM_TOKENS_PER_DAY, DREAM_CONCURRENCY, DREAM_PAUSE_RPS,
      DREAM_MIN_ASKS, DREAM_INTERVAL, REPLAY_TPS, SEMANTIC_BUDGET, SEMANTIC_THREADS,
      SEMANTIC_QUEUE, PROMPT_VECTORS, MATCHER, SOFTWARE_SECOND_MODEL, SECOND_OPINION,
      MATCH_THRESHOLD, LANGUAGE_GUARD, ERROR_RATE,
      VERIFY_SAMPLE, CALIBRATION_PRIOR, CALIBRATION_EVIDENCE, SERVE_OLD_MODEL, DOC_THRESHOLD,
      DOC_FOLLOW_UPS,
      DOC_RECOMPUTE, MODEL, MODEL_DIR, POOLING,
      DEMO_TTFT, DEMO_TPS, ENERGY_PROFILE, CPU_WATTS, ACCELERATOR, ACCELERATORS, BATCH,
      PREFILL_UTIL, DECODE_UTIL, POWER_FRACTION, PUE, HOST_OVERHEAD, GRID, PRICE, CURRENCY,
      PRICE_FILE, PRICE_SHIPPED, ADMIN_TOKEN, DASHBOARD_TOKEN, SHOW_PROMPTS, TENANT_NAMES,
      LOG_DECISIONS, STORAGE_BACKEND, SOLR_URLS, SOLR_COLLECTION, SOLR_USER, SOLR_PASSWORD,
      SOLR_SHARDS, SOLR_REPLICAS, SOLR_SOFT_COMMIT, SOLR_TIMEOUT);

  /**
   * Prefixes of keys that only a config file can set, because their names are the user's own:
   * model profiles, accelerators and model-name rules of the energy model.
   */
  public static final List<String> FILE_ONLY_PREFIXES = List.of("energy.profile.",
      "energy.accelerator.", "energy.match.");

  /** The key with this file name, or null. */
  public static Key<?> byName(String name) {
    for (Key<?> k : ALL) {
      if (k.name().equals(name)) {
        return k;
      }
    }
    return null;
  }
}
