package dev.bound.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.config.BoundConfig;
import dev.bound.gateway.admin.AdminAuth;
import dev.bound.gateway.observe.SavingsLedger;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The admin API of variant pools and their pre-generation: {@code GET /admin/variants/pools},
 * {@code GET /admin/variants/queue}, {@code POST /admin/variants/dream/pause} and
 * {@code /resume}. Admin token only: the pools' prompts are shown.
 */
final class DreamRoutes {
  private final AdminAuth auth;
  private final Dreamer dreamer;
  private final BoundConfig.Dream cfg;
  private final Clock clock;
  private final SavingsLedger ledger;

  DreamRoutes(AdminAuth auth, Dreamer dreamer, BoundConfig.Dream cfg, Clock clock,
      SavingsLedger ledger) {
    this.auth = auth;
    this.ledger = ledger;
    this.clock = clock;
    this.dreamer = dreamer;
    this.cfg = cfg;
  }

  void register(RoutesConfig r) {
    r.get("/admin/variants/pools", ctx -> {
      auth.requireAdmin(ctx);
      ObjectNode body = Json.object();
      pools(body.putArray("pools"), dreamer.queue.all());
      json(ctx, body);
    });
    r.get("/admin/variants/queue", ctx -> {
      auth.requireAdmin(ctx);
      ObjectNode body = status();
      pools(body.putArray("queue"), dreamer.queue.queue(cfg.minAsks()));
      json(ctx, body);
    });
    r.post("/admin/variants/dream/pause", ctx -> {
      auth.requireAdmin(ctx);
      dreamer.pause(true);
      json(ctx, status());
    });
    r.post("/admin/variants/dream/resume", ctx -> {
      auth.requireAdmin(ctx);
      dreamer.pause(false);
      json(ctx, status());
    });
  }

  /** Whether and why pre-generation runs now, its window, budget use and carbon account. */
  ObjectNode status() {
    DreamGate g = dreamer.gate;
    ObjectNode n = Json.object();
    n.put("enabled", g.off() == null);
    if (g.off() != null) {
      n.put("off_because", g.off());
    }
    n.put("paused", g.paused());
    n.put("state", g.state(0).code());
    CarbonProfile profile = g.profile();
    n.put("profile_source", profile.source());
    n.put("slot_minutes", profile.slotMinutes());
    ArrayNode window = n.putArray("window_utc");
    g.window().forEach(s -> window.add(profile.start(s)));
    n.put("intensity_now_gco2e_per_kwh", profile.at(clock.instant()));
    n.put("live_rps", g.liveRps());
    n.put("pause_above_rps", cfg.pauseAboveRps());
    ObjectNode b = n.putObject("budget");
    b.put("requests_this_hour", g.requestsThisHour());
    b.put("requests_per_hour", cfg.requestsPerHour());
    b.put("tokens_today", g.tokensToday());
    b.put("tokens_per_day", cfg.tokensPerDay());
    b.put("in_flight", g.inFlight());
    b.put("concurrency", cfg.concurrency());
    // Day buckets are kept for good, so this is the account since the ledger began.
    n.set("carbon", ledger.query(SavingsLedger.Granularity.DAY, 0, clock.millis() + 1, null,
        null).path("totals").path("carbon_shifted"));
    return n;
  }

  private static void pools(ArrayNode out, List<DreamQueue.Wish> wishes) {
    for (DreamQueue.Wish w : wishes) {
      synchronized (w) {
        ObjectNode p = out.addObject();
        p.put("scope", w.scope.key().substring(0, 16));
        p.put("tenant", w.scope.tenant());
        p.put("model", w.model);
        p.put("endpoint", w.protocol.path());
        p.put("prompt", w.prompt);
        p.put("temperature", w.temperature);
        p.put("asks", w.asks);
        p.put("last_asked", Instant.ofEpochMilli(w.lastAskedMillis).toString());
        p.put("variants", w.variants);
        p.put("target", w.target);
        p.put("full", w.full());
        p.put("variety", EnergyAccounting.round(w.variety));
        p.put("pregenerated", w.pregenerated);
        ArrayNode ids = p.putArray("pregenerated_ids");
        w.stored.forEach(ids::add);
        p.put("failures", w.failures);
        p.put("discarded", w.discarded);
        if (w.retryAtMillis > 0) {
          p.put("retry_at", Instant.ofEpochMilli(w.retryAtMillis).toString());
        }
        p.put("in_flight", w.inFlight);
      }
    }
  }

  private static void json(Context ctx, ObjectNode n) {
    ctx.contentType("application/json").result(Json.bytes(n));
  }
}
