package dev.bound.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Bound's settings, resolved once at start-up and immutable afterwards. Flags beat environment
 * variables, which beat the config file, which beats the defaults.
 */
public record BoundConfig(Server server, Path dataDir, Storage storage, Upstream upstream,
    Cache cache,
    Embedding embedding, Demo demo, Energy energy, Admin admin, boolean logDecisions,
    Prices prices, Dashboard dashboard) {

  /**
   * Where API list prices come from.
   *
   * @param file a CSV of prices tried before the shipped table, or empty
   * @param shipped whether the shipped table is used after it
   */
  public record Prices(String file, boolean shipped) {}

  /**
   * What the dashboard shows.
   *
   * @param showPrompts whether prompts and the stored prompts they matched are shown
   * @param tenantNames display names by tenant (or by credential, {@code key:<hash>})
   */
  public record Dashboard(boolean showPrompts, Map<String, String> tenantNames) {
    public Dashboard {
      tenantNames = Map.copyOf(tenantNames);
    }
  }

  /** Tokens for the admin API and the dashboard; empty strings when not configured. */
  public record Admin(String adminToken, String dashboardToken) {
    @Override
    public String toString() {
      return "Admin[adminToken=" + (adminToken.isEmpty() ? "" : "(set)") + ", dashboardToken="
          + (dashboardToken.isEmpty() ? "" : "(set)") + "]";
    }
  }

  /**
   * Where and how the gateway listens.
   *
   * @param allowedHosts lower-case host names a request's Host header may name, without port;
   *     empty allows any
   * @param corsOrigins origins that get CORS headers; {@code *} allows any, empty none
   */
  public record Server(String host, int port, long maxBodyBytes, Duration idleTimeout,
      List<String> allowedHosts, List<String> corsOrigins) {
    public Server {
      allowedHosts = List.copyOf(allowedHosts);
      corsOrigins = List.copyOf(corsOrigins);
    }
  }

  /**
   * How fresh answers reach the index.
   *
   * @param journalFlush how often the journal is forced to disk; zero forces every answer
   * @param maxBacklog answers waiting for the index above which Bound reports not ready
   * @param maxSegments index segments above which a quiet index merges itself; 0 never
   * @param backend embedded or solr
   * @param solr the shared collection, used when {@code backend} is solr
   */
  public record Storage(Duration journalFlush, int maxBacklog, int maxSegments, String backend,
      Solr solr) {}

  /**
   * The SolrCloud collection answers are kept in when {@code storage.backend} is solr.
   *
   * @param urls base URLs of Solr nodes, such as {@code http://solr1:8983/solr}
   * @param user basic-auth user; empty sends no credentials
   */
  public record Solr(List<String> urls, String collection, String user, String password,
      int shards, int replicas, Duration softCommit, Duration timeout) {
    public Solr {
      urls = List.copyOf(urls);
    }
  }

  /** The endpoint that answers misses; {@code url} is null when none is configured. */
  /**
   * The upstream.
   *
   * @param keyCheck how long a client key the upstream accepted is trusted for hits; 0 = no check
   */
  public record Upstream(URI url, String apiKey, Duration timeout, Duration connectTimeout,
      Duration keyCheck) {}

  /** The cache policy. */
  public record Cache(boolean enabled, double maxTemperature, double assumedTemperature,
      double threshold, long hotTierBytes, boolean toolCalls, int replayTokensPerSecond,
      boolean serveOldModelVersions, double documentThreshold, boolean documentFollowUps,
      Matching matching, Embeddings embeddings, long maxAnswerBytes, Variants variants,
      int documentRecomputePerHour, Admission admission) {}

  /**
   * How much semantic work the request path admits (see {@code cache.semantic-budget}).
   *
   * @param threads platform threads of the semantic pool; 0 means one per CPU core
   * @param queue requests that may wait for one of them
   */
  public record Admission(Duration budget, int threads, int queue) {}

  /**
   * Pools of different answers for requests above {@code maxTemperature}.
   *
   * @param poolSize answers a pool needs at temperature 1.0 before it serves
   */
  public record Variants(boolean enabled, int poolSize, Dream dream) {

    /** Answers a pool needs at temperature {@code t}: more for higher temperatures. */
    public int target(double t) {
      return (int) Math.max(2, Math.min(4L * poolSize, Math.round(poolSize * t)));
    }
  }

  /**
   * Pre-generation of variants for pools that are asked often but not yet full, in the hours
   * when the grid is cleanest.
   *
   * @param intensity 24 comma-separated gCO2e/kWh figures for the hours 0 to 23 UTC, or empty
   * @param intensityFile a CSV of hourly intensities (zone, time, gCO2e/kWh), or empty
   * @param zone the CSV rows to read, or empty when the file holds one zone
   * @param cleanHours how many hours of the day's cleanest slots form the window
   * @param pauseAboveRps live requests per second above which pre-generation waits
   * @param minAsks live requests a pool needs before it is pre-generated for
   * @param interval how often the scheduler looks for work
   */
  public record Dream(boolean enabled, String intensity, String intensityFile, String zone,
      double cleanHours, int requestsPerHour, int tokensPerDay, int concurrency,
      double pauseAboveRps, int minAsks, Duration interval) {}

  /**
   * The cache of {@code POST /v1/embeddings}.
   *
   * @param hotTierBytes memory for stored embeddings kept in front of their index on disk
   */
  public record Embeddings(boolean enabled, long hotTierBytes) {}

  /**
   * How semantic candidates are judged.
   *
   * @param threshold the matcher's threshold, or NaN for its own
   * @param errorRate the tolerated share of wrong answers among served semantic hits, or NaN
   *     when the error bound is off
   * @param calibrationPriorStrength pseudo-observations the offline prior is worth per score bin
   * @param calibrationEvidence whether the calibration starts from the shipped served evidence
   * @param promptVectorBytes memory per embedding model for the vectors of prompts lately looked
   *     up; 0 keeps none
   * @param secondOpinion the lexical verifier's scores at which a pair is judged again with the
   *     second model's vectors, or null for none
   */
  public record Matching(String matcher, double threshold, boolean languageGuard,
      double errorRate, double verifySampleRate, double calibrationPriorStrength,
      boolean calibrationEvidence, long promptVectorBytes, boolean softwareSecondModel,
      Band secondOpinion) {}

  /**
   * Scores from {@code low} to {@code high}, both included.
   *
   * @throws IllegalArgumentException unless 0 &le; low &le; high &le; 1
   */
  public record Band(double low, double high) {
    public Band {
      if (!(low >= 0 && low <= high && high <= 1)) {
        throw new IllegalArgumentException("out of range");
      }
    }
  }

  /** The embedding model; {@code dir} and {@code pooling} are empty for the built-in models. */
  public record Embedding(String model, String dir, String pooling) {}

  /** Pacing of the simulated upstream. */
  public record Demo(Duration ttft, int tokensPerSecond) {}

  /**
   * Settings of the energy model, as text for the models module to interpret.
   *
   * @param defaultProfile profile for unmatched model names
   * @param cpuWatts power of one busy core of Bound's host
   * @param deployment the {@code energy.deployment.*} values, keyed by the part after that prefix
   * @param fileOnly the file's {@code energy.profile.*}, {@code energy.accelerator.*} and
   *     {@code energy.match.*} keys, by full key name
   */
  public record Energy(String defaultProfile, double cpuWatts, Map<String, String> deployment,
      Map<String, String> fileOnly) {
    public Energy {
      deployment = Map.copyOf(deployment);
      fileOnly = Map.copyOf(fileOnly);
    }
  }

  /** Defaults only, as a test or the simulated upstream might want. */
  public static BoundConfig defaults() {
    return resolve(Map.of(), Map.of(), null);
  }

  /**
   * Resolves every key from its sources.
   *
   * @param flags values given on the command line, by key name
   * @param env the process environment (only {@code BOUND_*} variables of known keys are read)
   * @param file a properties file, or null
   */
  public static BoundConfig resolve(Map<String, String> flags, Map<String, String> env, Path file) {
    return resolve(flags, env, file, Map.of());
  }

  /**
   * As {@link #resolve(Map, Map, Path)}, with a command's own defaults, which beat only the keys'
   * defaults (the demo keeps its made-up answers in a directory of their own this way).
   */
  public static BoundConfig resolve(Map<String, String> flags, Map<String, String> env, Path file,
      Map<String, String> commandDefaults) {
    Map<String, String> fromFile = file == null ? Map.of() : readFile(file);
    Map<Key<?>, Object> values = new HashMap<>();
    for (Key<?> key : Keys.ALL) {
      String raw;
      String source;
      if (flags.containsKey(key.name())) {
        raw = flags.get(key.name());
        source = "flag " + key.flag();
      } else if (env.containsKey(key.env())) {
        raw = env.get(key.env());
        source = "environment variable " + key.env();
      } else if (fromFile.containsKey(key.name())) {
        raw = fromFile.get(key.name());
        source = "config file " + file;
      } else if (commandDefaults.containsKey(key.name())) {
        raw = commandDefaults.get(key.name());
        source = "default";
      } else {
        raw = key.defaultValue();
        source = "default";
      }
      values.put(key, key.parse(raw, source));
    }
    return new BoundConfig(
        new Server(get(values, Keys.HOST), get(values, Keys.PORT), get(values, Keys.MAX_BODY),
            get(values, Keys.IDLE_TIMEOUT),
            allowedHosts(get(values, Keys.HOST), get(values, Keys.ALLOWED_HOSTS)),
            list(get(values, Keys.CORS_ORIGINS))),
        get(values, Keys.DATA),
        new Storage(get(values, Keys.JOURNAL_FLUSH), get(values, Keys.MAX_BACKLOG),
            get(values, Keys.MAX_SEGMENTS), get(values, Keys.STORAGE_BACKEND), solr(values)),
        new Upstream(get(values, Keys.UPSTREAM), get(values, Keys.UPSTREAM_KEY),
            get(values, Keys.UPSTREAM_TIMEOUT), get(values, Keys.UPSTREAM_CONNECT_TIMEOUT),
            get(values, Keys.UPSTREAM_KEY_CHECK)),
        new Cache(get(values, Keys.CACHE_ENABLED), get(values, Keys.MAX_TEMPERATURE),
            get(values, Keys.ASSUMED_TEMPERATURE), get(values, Keys.THRESHOLD),
            get(values, Keys.HOT_TIER), get(values, Keys.CACHE_TOOL_CALLS),
            get(values, Keys.REPLAY_TPS), get(values, Keys.SERVE_OLD_MODEL),
            get(values, Keys.DOC_THRESHOLD), get(values, Keys.DOC_FOLLOW_UPS),
            new Matching(get(values, Keys.MATCHER), number(get(values, Keys.MATCH_THRESHOLD)),
                get(values, Keys.LANGUAGE_GUARD), number(get(values, Keys.ERROR_RATE)),
                get(values, Keys.VERIFY_SAMPLE), get(values, Keys.CALIBRATION_PRIOR),
                get(values, Keys.CALIBRATION_EVIDENCE), get(values, Keys.PROMPT_VECTORS),
                get(values, Keys.SOFTWARE_SECOND_MODEL),
                get(values, Keys.SECOND_OPINION).equals("none") ? null
                    : band(get(values, Keys.SECOND_OPINION))),
            new Embeddings(get(values, Keys.EMBEDDINGS_ENABLED),
                get(values, Keys.EMBEDDINGS_HOT_TIER)), get(values, Keys.MAX_ANSWER),
            new Variants(get(values, Keys.VARIANTS_ENABLED),
                get(values, Keys.VARIANT_POOL_SIZE), dream(values)),
            get(values, Keys.DOC_RECOMPUTE),
            new Admission(get(values, Keys.SEMANTIC_BUDGET), get(values, Keys.SEMANTIC_THREADS),
                get(values, Keys.SEMANTIC_QUEUE))),
        new Embedding(get(values, Keys.MODEL), get(values, Keys.MODEL_DIR),
            get(values, Keys.POOLING)),
        new Demo(get(values, Keys.DEMO_TTFT), get(values, Keys.DEMO_TPS)),
        energy(values, fromFile),
        new Admin(get(values, Keys.ADMIN_TOKEN), get(values, Keys.DASHBOARD_TOKEN)),
        get(values, Keys.LOG_DECISIONS),
        new Prices(get(values, Keys.PRICE_FILE), get(values, Keys.PRICE_SHIPPED)),
        new Dashboard(get(values, Keys.SHOW_PROMPTS),
            Values.pairMap(get(values, Keys.TENANT_NAMES))));
  }

  private static Solr solr(Map<Key<?>, Object> values) {
    List<String> urls = list(get(values, Keys.SOLR_URLS));
    if (get(values, Keys.STORAGE_BACKEND).equals("solr") && urls.isEmpty()) {
      throw new ConfigException("storage.solr.urls is required when storage.backend is solr: "
          + "name one or more Solr nodes, such as http://localhost:8983/solr");
    }
    for (String u : urls) {
      if (!u.startsWith("http://") && !u.startsWith("https://")) {
        throw new ConfigException("storage.solr.urls: '" + u + "' is not an http or https URL");
      }
      java.net.URI uri;
      try {
        uri = java.net.URI.create(u);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("storage.solr.urls: '" + u + "' is not a URL ("
            + e.getMessage() + ")");
      }
      if (uri.getHost() == null || uri.getPort() == 0 || uri.getPort() > 65535) {
        throw new ConfigException("storage.solr.urls: '" + u + "' names no host, or a port "
            + "outside 1 to 65535");
      }
    }
    String collection = get(values, Keys.SOLR_COLLECTION);
    if (!collection.matches("[A-Za-z0-9._][A-Za-z0-9._-]*")) {
      throw new ConfigException("storage.solr.collection: '" + collection + "' is not a valid "
          + "collection name (letters, digits, '.', '_', '-', not starting with '-')");
    }
    return new Solr(urls, collection, get(values, Keys.SOLR_USER),
        get(values, Keys.SOLR_PASSWORD), get(values, Keys.SOLR_SHARDS),
        get(values, Keys.SOLR_REPLICAS), get(values, Keys.SOLR_SOFT_COMMIT),
        get(values, Keys.SOLR_TIMEOUT));
  }

  private static Dream dream(Map<Key<?>, Object> values) {
    return new Dream(get(values, Keys.DREAM_ENABLED), get(values, Keys.DREAM_INTENSITY),
        get(values, Keys.DREAM_INTENSITY_FILE), get(values, Keys.DREAM_ZONE),
        get(values, Keys.DREAM_CLEAN_HOURS), get(values, Keys.DREAM_REQUESTS_PER_HOUR),
        get(values, Keys.DREAM_TOKENS_PER_DAY), get(values, Keys.DREAM_CONCURRENCY),
        get(values, Keys.DREAM_PAUSE_RPS), get(values, Keys.DREAM_MIN_ASKS),
        get(values, Keys.DREAM_INTERVAL));
  }

  private static Energy energy(Map<Key<?>, Object> values, Map<String, String> fromFile) {
    Map<String, String> deployment = new LinkedHashMap<>();
    for (Key<?> k : Keys.ALL) {
      if (k.name().startsWith("energy.deployment.")) {
        deployment.put(k.name().substring("energy.deployment.".length()),
            String.valueOf(values.get(k)));
      }
    }
    Map<String, String> fileOnly = new LinkedHashMap<>();
    fromFile.forEach((k, v) -> {
      if (Keys.FILE_ONLY_PREFIXES.stream().anyMatch(k::startsWith)) {
        fileOnly.put(k, v);
      }
    });
    return new Energy(get(values, Keys.ENERGY_PROFILE), get(values, Keys.CPU_WATTS), deployment,
        fileOnly);
  }

  /** A copy with a different dashboard token (the demo makes one up). */
  public BoundConfig withDashboardToken(String token) {
    return new BoundConfig(server, dataDir, storage, upstream, cache, embedding, demo, energy,
        new Admin(admin.adminToken(), token), logDecisions, prices, dashboard);
  }

  /** A copy with a different upstream URL (the demo points Bound at its simulated upstream). */
  public BoundConfig withUpstream(URI url) {
    return new BoundConfig(server, dataDir, storage,
        new Upstream(url, upstream.apiKey(), upstream.timeout(), upstream.connectTimeout(),
            upstream.keyCheck()),
        cache, embedding, demo, energy, admin, logDecisions, prices, dashboard);
  }

  /**
   * The Host names allowed: those listed, or, when none are, the loopback names if Bound listens
   * on a loopback address (a page that rebinds its own name to 127.0.0.1 then gets no answer),
   * else any. {@code *} allows any.
   */
  static List<String> allowedHosts(String listenHost, String value) {
    List<String> listed = list(value).stream().map(BoundConfig::hostName).toList();
    if (listed.contains("*")) {
      return List.of();
    }
    if (!listed.isEmpty()) {
      return listed;
    }
    boolean loopback = listenHost.equals("localhost") || listenHost.startsWith("127.")
        || listenHost.equals("::1") || listenHost.equals("[::1]");
    return loopback ? List.of("localhost", "127.0.0.1", "[::1]") : List.of();
  }

  /** A Host header's name, lower case, without its port; IPv6 addresses keep their brackets. */
  public static String hostName(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    if (colon > h.lastIndexOf(']') && h.indexOf(':') == colon) {
      h = h.substring(0, colon);
    } else if (h.startsWith("[") && colon > h.lastIndexOf(']')) {
      h = h.substring(0, colon);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::strip)
        .filter(s -> !s.isEmpty()).toList();
  }

  /** The band written {@code LOW-HIGH}. */
  static Band band(String s) {
    int dash = s.indexOf('-', 1);
    if (dash < 0) {
      throw new IllegalArgumentException("not two scores LOW-HIGH");
    }
    return new Band(Double.parseDouble(s.substring(0, dash).trim()),
        Double.parseDouble(s.substring(dash + 1).trim()));
  }

  private static double number(String s) {
    return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
  }

  @SuppressWarnings("unchecked")
  private static <T> T get(Map<Key<?>, Object> values, Key<T> key) {
    return (T) values.get(key);
  }

  private static Map<String, String> readFile(Path file) {
    java.util.Set<String> twice = new java.util.LinkedHashSet<>();
    Properties p = new Properties() {
      @Override
      public synchronized Object put(Object key, Object value) {
        Object before = super.put(key, value);
        if (before != null) { // load() would keep the last silently: say so instead
          twice.add((String) key);
        }
        return before;
      }
    };
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ConfigException("cannot read config file " + file + ": it is not UTF-8 text");
    } catch (IllegalArgumentException e) { // a broken \\u escape
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage()
          + " (a backslash-u escape needs four hex digits)");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    if (!twice.isEmpty()) {
      throw new ConfigException("config file " + file + " sets " + String.join(", ", twice)
          + " more than once; keep one line for each key");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : p.stringPropertyNames()) {
      if (Keys.byName(name) == null
          && Keys.FILE_ONLY_PREFIXES.stream().noneMatch(name::startsWith)) {
        throw new ConfigException("unknown key '" + name + "' in config file " + file
            + "; known keys are listed by 'bound serve --help'");
      }
      out.put(name, p.getProperty(name));
    }
    return out;
  }
}
