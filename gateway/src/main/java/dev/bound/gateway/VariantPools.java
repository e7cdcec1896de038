package dev.bound.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.bound.config.BoundConfig;
import dev.bound.index.Candidate;
import dev.bound.index.Entry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pools of different answers for requests that ask for novelty (a temperature above
 * {@code cache.max-temperature}). One stored answer cannot give novelty; a pool of answers the
 * upstream really gave at that temperature can. A pool belongs to a prompt in a variant scope
 * (the ordinary scope plus the temperature band); a request finds the pool of its own prompt, or
 * of the stored prompt the matcher judges to mean the same. Until the pool holds
 * {@link BoundConfig.Variants#target} answers, requests go upstream and each answer that differs
 * enough from those already there joins it; once full, a request is served one at random, never
 * the one its tenant (or end user) received last from that pool.
 */
final class VariantPools {
  /** Separates a prompt's exact key from a variant's own suffix. */
  static final String MARK = "\u0000variant\u0000";
  /** Word overlap (Jaccard) at or above which two answers count as the same answer. */
  static final double SAME_ANSWER = 0.9;
  private static final int NEAR = 64;

  private final AnswerCache cache;
  private final BoundConfig.Variants cfg;
  /** Per client and pool: the entry it was served last. */
  private final Cache<String, String> lastServed = Caffeine.newBuilder().maximumSize(200_000)
      .expireAfterAccess(Duration.ofDays(1)).build();

  /**
   * The variants found for a request.
   *
   * @param key the exact key of the pool's prompt
   * @param target how many variants the pool needs before it serves
   * @param exact whether the pool is the request's own prompt's
   * @param similarity cosine of the request's prompt to the pool's
   * @param score the matcher's score for the pool's prompt (1 for the request's own)
   */
  record Pool(String key, List<Entry> variants, int target, boolean exact, double similarity,
      double score) {
    boolean full() {
      return variants.size() >= target;
    }
  }

  VariantPools(AnswerCache cache, BoundConfig.Variants cfg) {
    this.cache = cache;
    this.cfg = cfg;
  }

  boolean enabled() {
    return cfg.enabled();
  }

  /**
   * The pool for a probe in a variant scope, and gets the probe ready to store a fresh answer as
   * a new variant of it if that answer differs from every variant already there.
   */
  Pool find(AnswerCache.Probe p, double temperature, Double threshold) {
    List<Candidate> near = cache.nearby(p, NEAR);
    Map<String, List<Entry>> byPrompt = new LinkedHashMap<>();
    for (Candidate c : near) {
      byPrompt.computeIfAbsent(promptKey(c.entry()), k -> new ArrayList<>()).add(c.entry());
    }
    String key = p.exactKey;
    double similarity = 1;
    double score = 1;
    if (!byPrompt.containsKey(key) && cache.matching().refusal(p.prompt) == null) {
      List<Candidate> heads = near.stream()
          .filter(c -> c.entry() == byPrompt.get(promptKey(c.entry())).get(0)).limit(5).toList();
      Optional<Matching.Judged> j = cache.matching().judge(p.prompt, p.vector(), heads, threshold);
      if (j.isPresent() && j.get().verdict() == Matching.Verdict.SERVE) {
        key = promptKey(j.get().candidate().entry());
        similarity = j.get().candidate().similarity();
        score = j.get().score();
      }
    }
    List<Entry> variants = List.copyOf(byPrompt.getOrDefault(key, List.of()));
    // A fresh answer joins the request's own prompt's pool: it answered that prompt.
    p.storeKey = p.exactKey + MARK + UUID.randomUUID();
    p.keep = json -> differs(json, variants);
    // One pool holds a whole band, so every request that reads it must see the same target.
    return new Pool(key, variants, cfg.target(Scope.band(temperature)), key.equals(p.exactKey),
        similarity, score);
  }

  /**
   * A variant of a full pool for this client: at random, never the one it received last from
   * this pool (when there is another).
   */
  Entry pick(Pool pool, String client) {
    String slot = client + '\u0000' + pool.key();
    String last = lastServed.getIfPresent(slot);
    List<Entry> choices = pool.variants().stream().filter(e -> !e.id().equals(last)).toList();
    List<Entry> from = choices.isEmpty() ? pool.variants() : choices;
    Entry e = from.get(ThreadLocalRandom.current().nextInt(from.size()));
    lastServed.put(slot, e.id());
    return e;
  }

  /**
   * How different a pool's answers are from one another: 1 minus the mean word overlap
   * (Jaccard) of every pair; 0 when they are the same text, near 1 when they share no words.
   */
  static double variety(List<Entry> variants) {
    List<Set<String>> words = variants.stream().map(e -> words(text(e.response()))).toList();
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < words.size(); i++) {
      for (int j = i + 1; j < words.size(); j++) {
        sum += jaccard(words.get(i), words.get(j));
        pairs++;
      }
    }
    return pairs == 0 ? 0 : 1 - sum / pairs;
  }

  /** Whether an answer differs enough from every variant to be a new one. */
  private static boolean differs(String json, List<Entry> variants) {
    Set<String> fresh = words(text(json));
    for (Entry e : variants) {
      if (jaccard(fresh, words(text(e.response()))) >= SAME_ANSWER) {
        return false;
      }
    }
    return true;
  }

  /** The exact key of the prompt a variant answers. */
  static String promptKey(Entry e) {
    int at = e.exactKey().indexOf(MARK);
    return at < 0 ? e.exactKey() : e.exactKey().substring(0, at);
  }

  private static String text(String json) {
    JsonNode a = Json.parseOrNull(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (a == null) {
      return json;
    }
    return Answers.text(a) + " " + a.path("choices").path(0).path("message").path("tool_calls");
  }

  private static Set<String> words(String text) {
    Set<String> out = new HashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  private static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1;
    }
    Set<String> union = new HashSet<>(a);
    union.addAll(b);
    Set<String> both = new HashSet<>(a);
    both.retainAll(b);
    return (double) both.size() / union.size();
  }
}
