package dev.bound.gateway.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.gateway.Background;
import dev.bound.gateway.EnergyAccounting;
import dev.bound.gateway.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Bound saved, aggregated per minute, hour and day, per model and tenant. Every request is
 * appended to a journal that is forced to disk each second; a snapshot of the aggregates replaces
 * the journals every ten minutes and on shutdown. After a crash the snapshot plus the journals
 * since it give back everything but the last second or so.
 */
public final class SavingsLedger implements AutoCloseable, Outcome.Observer {
  private static final Logger LOG = LoggerFactory.getLogger(SavingsLedger.class);

  /** Bucket sizes and how long their buckets are kept. */
  public enum Granularity {
    MINUTE(Duration.ofMinutes(1), Duration.ofHours(48)),
    HOUR(Duration.ofHours(1), Duration.ofDays(90)),
    DAY(Duration.ofDays(1), null);

    final long millis;
    final Duration keep;

    Granularity(Duration size, Duration keep) {
      this.millis = size.toMillis();
      this.keep = keep;
    }

    public long start(long at) {
      return Math.floorDiv(at, millis) * millis;
    }
  }

  /**
   * One request as the ledger sees it.
   *
   * @param apiCost what a hit kept off the API bill at list prices
   * @param apiPriced whether the model had a price; false for hits on unpriced models
   * @param novelty whether it asked for novelty (a temperature above cache.max-temperature)
   * @param servingIntensity gCO2e/kWh of the grid when a variant hit was served, by the
   *     pre-generation profile; NaN for other requests
   */
  record Entry(long at, String model, String tenant, String tier, long promptTokens,
      long completionTokens, EnergyAccounting.Account account, double apiCost,
      boolean apiPriced, boolean novelty, double servingIntensity) {}

  /**
   * One pre-generated variant: not a request, but upstream energy spent ahead of demand.
   *
   * @param wh its upstream energy by the energy model
   * @param gco2e that energy at the intensity of the slot it ran in
   * @param gco2eAtDemand that energy at the intensity of the slot its pool was last asked in
   * @param stored whether its answer joined the pool
   */
  public record Dream(long at, String model, String tenant, double wh, double gco2e,
      double gco2eAtDemand, boolean stored) {
    public Dream {
      if (!(wh >= 0 && gco2e >= 0 && gco2eAtDemand >= 0)) {
        throw new IllegalArgumentException("a dream's energy and carbon are not negative");
      }
    }
  }

  private record Key(Granularity g, long start, String model, String tenant) {}

  private final Path dir;
  private final Clock clock;
  private final Map<Key, LedgerTotals> buckets = new HashMap<>();
  /** Journal lines not yet on disk, each with the number of the journal it belongs to. */
  private final List<Map.Entry<Long, String>> pending = new ArrayList<>();
  private final ScheduledExecutorService writer;
  private final Object flushing = new Object();
  private long journal;
  private boolean closed;
  /** The grid's intensity at an instant (epoch millis), to credit variant hits; null: none. */
  private volatile LongToDoubleFunction intensity;

  private SavingsLedger(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
    this.writer = Background.scheduler("bound-ledger");
  }

  public static SavingsLedger open(Path dir, Clock clock) {
    SavingsLedger l = new SavingsLedger(dir, clock);
    try {
      Files.createDirectories(dir);
      l.recover();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the savings ledger in " + dir, e);
    }
    l.writer.scheduleWithFixedDelay(l::flushQuietly, 1, 1, TimeUnit.SECONDS);
    l.writer.scheduleWithFixedDelay(l::snapshotQuietly, 10, 10, TimeUnit.MINUTES);
    return l;
  }

  /**
   * Credits each variant hit from now on at the grid intensity {@code at} gives for the instant
   * it is served (the pre-generation profile), so carbon shifted can be priced at serving time.
   */
  public void servingIntensity(LongToDoubleFunction at) {
    this.intensity = at;
  }

  @Override
  public void observe(Outcome o) {
    boolean priced = o.apiCost() != null && o.apiCost().priced();
    LongToDoubleFunction at = intensity;
    double serving = at != null && o.tier().equals("HIT-VARIANT") && o.account() != null
        ? at.applyAsDouble(o.at()) : Double.NaN;
    record(new Entry(o.at(), o.model(), o.tenant(), o.tier(), o.hit() ? o.promptTokens() : 0,
        o.hit() ? o.completionTokens() : 0, o.account(),
        o.hit() && priced ? o.apiCost().amount() : 0, priced, o.novelty(), serving));
  }

  /**
   * Charges one pre-generated variant to the ledger and forces it to disk before returning, so
   * a variant counted as stored is never missing from the account after a crash. Dreams are few
   * (a budget per hour), so the wait is cheap.
   */
  public void dreamed(Dream d) {
    ObjectNode line = line(d.at(), d.model(), d.tenant());
    ObjectNode n = line.putObject("d");
    n.put("wh", d.wh());
    n.put("g", d.gco2e());
    n.put("gd", d.gco2eAtDemand());
    n.put("s", d.stored());
    synchronized (this) {
      if (closed) {
        return;
      }
      add(d);
      pending.add(Map.entry(journal, Json.text(line)));
    }
    flushQuietly();
  }

  void record(Entry e) {
    // The line is written outside the lock: every request records, and writing it under the
    // lock made concurrent requests queue for one another.
    String text = requestLine(e);
    synchronized (this) {
      if (closed) {
        return;
      }
      add(e);
      pending.add(Map.entry(journal, text));
    }
  }

  /**
   * A request's journal line, the form {@link #entryFrom} reads back. Written field by field
   * rather than built as a tree first: every request writes one, and the tree was most of the
   * ledger's cost.
   */
  static String requestLine(Entry e) {
    return Json.written(g -> {
      g.writeStartObject();
      g.writeNumberField("t", e.at());
      g.writeStringField("m", e.model());
      g.writeStringField("n", e.tenant());
      g.writeStringField("k", e.tier());
      g.writeNumberField("p", e.promptTokens());
      g.writeNumberField("c", e.completionTokens());
      EnergyAccounting.Account a = e.account();
      g.writeObjectFieldStart("a");
      g.writeStringField("profile", a.profile());
      g.writeBooleanField("matched", a.profileMatched());
      g.writeNumberField("wh", a.wh());
      g.writeNumberField("wl", a.whLow());
      g.writeNumberField("wu", a.whHigh());
      g.writeNumberField("g", a.gco2e());
      g.writeNumberField("gl", a.gco2eLow());
      g.writeNumberField("gu", a.gco2eHigh());
      g.writeNumberField("m", a.money());
      g.writeNumberField("ml", a.moneyLow());
      g.writeNumberField("mu", a.moneyHigh());
      g.writeNumberField("b", a.boundWh());
      g.writeEndObject();
      g.writeNumberField("x", e.apiCost());
      g.writeBooleanField("xp", e.apiPriced());
      if (e.novelty()) {
        g.writeBooleanField("nv", true);
      }
      if (!Double.isNaN(e.servingIntensity())) {
        g.writeNumberField("si", e.servingIntensity());
      }
      g.writeEndObject();
    });
  }

  /** A journal line's fields common to requests and dreams: when, which model, which tenant. */
  private static ObjectNode line(long at, String model, String tenant) {
    ObjectNode line = Json.object();
    line.put("t", at);
    line.put("m", model);
    line.put("n", tenant);
    return line;
  }

  private void add(Entry e) {
    for (Granularity g : Granularity.values()) {
      bucket(g, e.at(), e.model(), e.tenant()).add(e);
    }
  }

  private void add(Dream d) {
    for (Granularity g : Granularity.values()) {
      bucket(g, d.at(), d.model(), d.tenant()).add(d);
    }
  }

  private LedgerTotals bucket(Granularity g, long at, String model, String tenant) {
    return buckets.computeIfAbsent(new Key(g, g.start(at), model, tenant),
        k -> new LedgerTotals());
  }

  /**
   * The savings between {@code from} and {@code to} (epoch millis, bucket starts in
   * [from, to)), optionally for one model or tenant: totals, a time series, and breakdowns.
   */
  public synchronized ObjectNode query(Granularity g, long from, long to, String model,
      String tenant) {
    LedgerTotals total = new LedgerTotals();
    TreeMap<Long, LedgerTotals> series = new TreeMap<>();
    TreeMap<String, LedgerTotals> byModel = new TreeMap<>();
    TreeMap<String, LedgerTotals> byTenant = new TreeMap<>();
    buckets.forEach((k, t) -> {
      if (k.g() != g || k.start() < from || k.start() >= to
          || (model != null && !model.equals(k.model()))
          || (tenant != null && !tenant.equals(k.tenant()))) {
        return;
      }
      total.add(t);
      series.computeIfAbsent(k.start(), s -> new LedgerTotals()).add(t);
      byModel.computeIfAbsent(k.model(), s -> new LedgerTotals()).add(t);
      byTenant.computeIfAbsent(k.tenant(), s -> new LedgerTotals()).add(t);
    });
    ObjectNode out = Json.object();
    out.put("granularity", g.name().toLowerCase(Locale.ROOT));
    out.put("from", from);
    out.put("to", to);
    out.set("totals", total.json());
    ArrayNode s = out.putArray("series");
    series.forEach((start, t) -> s.add(t.json().put("start", start)));
    ArrayNode m = out.putArray("by_model");
    byModel.forEach((name, t) -> m.add(t.json().put("model", name)));
    ArrayNode n = out.putArray("by_tenant");
    byTenant.forEach((name, t) -> n.add(t.json().put("tenant", name)));
    return out;
  }

  /**
   * Writes the pending journal lines and forces them to disk. One flush at a time, so that when
   * it returns, every line pending at its call is on disk, even one another flush had taken.
   */
  void flush() throws IOException {
    synchronized (flushing) {
      flushPending();
    }
  }

  private void flushPending() throws IOException {
    List<Map.Entry<Long, String>> lines;
    synchronized (this) {
      if (pending.isEmpty()) {
        return;
      }
      lines = new ArrayList<>(pending);
      pending.clear();
    }
    // A directory removed while Bound runs is made again: the journal's writes failed on every
    // flush after that, and every saving since was dropped.
    Files.createDirectories(dir);
    Map<Long, StringBuilder> byJournal = new TreeMap<>();
    for (Map.Entry<Long, String> l : lines) {
      byJournal.computeIfAbsent(l.getKey(), k -> new StringBuilder()).append(l.getValue())
          .append('\n');
    }
    for (Map.Entry<Long, StringBuilder> j : byJournal.entrySet()) {
      try (FileChannel ch = FileChannel.open(journalPath(j.getKey()), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ch.write(ByteBuffer.wrap(j.getValue().toString().getBytes(StandardCharsets.UTF_8)));
        ch.force(false);
      }
    }
  }

  /**
   * Replaces the journals so far by a snapshot of the aggregates. The switch to a new journal and
   * the copy of the aggregates happen together, so every request is in exactly one of the two.
   */
  void snapshot() throws IOException {
    ObjectNode snap = Json.object();
    long upTo;
    synchronized (this) {
      prune();
      upTo = journal;
      journal++;
      snap.put("next_journal", journal);
      ArrayNode arr = snap.putArray("buckets");
      buckets.forEach((k, t) -> {
        ObjectNode b = t.json();
        b.set("carbon_raw", t.carbonRaw());
        b.put("g", k.g().name());
        b.put("start", k.start());
        b.put("model", k.model());
        b.put("tenant", k.tenant());
        arr.add(b);
      });
    }
    flush();
    Path tmp = dir.resolve("snapshot.json.tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(Json.bytes(snap)));
      ch.force(true);
    }
    Files.move(tmp, dir.resolve("snapshot.json"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "journal-*.jsonl")) {
      for (Path p : ds) {
        if (journalNumber(p) <= upTo) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private void recover() throws IOException {
    Path snap = dir.resolve("snapshot.json");
    long next = 0;
    if (Files.exists(snap)) {
      // A snapshot that cannot be read stops the start rather than be replaced by a new one
      // with none of its history: the operator decides (move it aside to start afresh).
      JsonNode s;
      try {
        s = Json.MAPPER.readTree(snap.toFile());
      } catch (IOException e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst()
            .orElse("");
        throw new IOException(snap + " cannot be read (" + why + "); move it aside to start the "
            + "savings ledger afresh from its journals", e);
      }
      if (s == null || !s.isObject() || !s.path("buckets").isArray()) {
        throw new IOException(snap + " is not a savings ledger snapshot; move it aside to start "
            + "the savings ledger afresh from its journals");
      }
      next = s.path("next_journal").asLong();
      for (JsonNode b : s.path("buckets")) {
        buckets.put(new Key(Granularity.valueOf(b.get("g").asText()), b.get("start").asLong(),
            b.get("model").asText(), b.get("tenant").asText()), LedgerTotals.fromJson(b));
      }
    }
    List<Path> journals = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "journal-*.jsonl")) {
      ds.forEach(journals::add);
    }
    journals.sort((a, b) -> Long.compare(journalNumber(a), journalNumber(b)));
    long last = next;
    int torn = 0;
    for (Path p : journals) {
      long n = journalNumber(p);
      last = Math.max(last, n);
      if (n < next) {
        continue; // already in the snapshot; the crash came before it was deleted
      }
      for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
        try {
          JsonNode l = Json.MAPPER.readTree(line);
          if (l.has("d")) {
            add(dreamFrom(l));
          } else {
            add(entryFrom(l));
          }
        } catch (IOException | RuntimeException e) {
          torn++; // a line cut short by a crash
        }
      }
    }
    if (torn > 0) {
      LOG.warn("savings ledger: skipped {} unreadable journal line(s) in {}", torn, dir);
    }
    // New lines go to a journal of their own, after everything read above.
    journal = last + 1;
  }

  static Entry entryFrom(JsonNode n) {
    JsonNode a = n.get("a");
    return new Entry(n.get("t").asLong(), n.get("m").asText(), n.get("n").asText(),
        n.get("k").asText(), n.get("p").asLong(), n.get("c").asLong(),
        new EnergyAccounting.Account(a.get("profile").asText(), a.get("matched").asBoolean(),
            a.get("wh").asDouble(), a.get("wl").asDouble(), a.get("wu").asDouble(),
            a.get("g").asDouble(), a.get("gl").asDouble(), a.get("gu").asDouble(),
            a.get("m").asDouble(), a.get("ml").asDouble(), a.get("mu").asDouble(),
            a.get("b").asDouble()),
        n.path("x").asDouble(0), n.path("xp").asBoolean(false), n.path("nv").asBoolean(false),
        n.path("si").asDouble(Double.NaN));
  }

  private static Dream dreamFrom(JsonNode n) {
    JsonNode d = n.get("d");
    return new Dream(n.get("t").asLong(), n.get("m").asText(), n.get("n").asText(),
        d.get("wh").asDouble(), d.get("g").asDouble(), d.get("gd").asDouble(),
        d.get("s").asBoolean());
  }

  private void prune() {
    long now = clock.millis();
    buckets.keySet().removeIf(k -> k.g().keep != null
        && k.start() < now - k.g().keep.toMillis());
  }

  private Path journalPath(long n) {
    return dir.resolve(String.format(Locale.ROOT, "journal-%012d.jsonl", n));
  }

  private static long journalNumber(Path p) {
    String name = p.getFileName().toString();
    return Long.parseLong(name.substring("journal-".length(), name.length() - ".jsonl".length()));
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (IOException | RuntimeException e) {
      LOG.warn("savings ledger: could not write the journal: {}", e.toString());
    }
  }

  private void snapshotQuietly() {
    try {
      snapshot();
    } catch (IOException | RuntimeException e) {
      LOG.warn("savings ledger: could not write a snapshot: {}", e.toString());
    }
  }

  @Override
  public void close() {
    Background.stop(writer, Duration.ofSeconds(5), "the savings ledger's writer");
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    snapshotQuietly();
    synchronized (this) {
      closed = true;
    }
  }
}
