package dev.bound.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bound.gateway.ApiException;
import dev.bound.gateway.Json;
import dev.bound.gateway.docs.DocumentRecompute;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The admin routes of recomputed documents: see a document's draft with its diff, approve it
 * (signed as a new version) or reject it, and run a recompute pass now instead of waiting for
 * the next quiet minute. They sit behind the admin token like every admin route.
 */
public final class DraftRoutes {
  private final AdminApi api;
  private final DocumentRecompute recompute;

  public DraftRoutes(AdminApi api, DocumentRecompute recompute) {
    this.api = api;
    this.recompute = recompute;
  }

  public void register(RoutesConfig r) {
    r.get("/admin/documents/{id}/draft", api.admin(this::draft));
    r.post("/admin/documents/{id}/draft/approve", api.admin(this::approve));
    r.post("/admin/documents/{id}/draft/reject", api.admin(this::reject));
    r.post("/admin/documents/recompute", api.admin(this::runNow));
  }

  private void draft(Context ctx) {
    String id = ctx.pathParam("id");
    AdminApi.json(ctx, recompute.draft(id).orElseThrow(() ->
        ApiException.notFound("Document " + id + " has no pending draft.")));
  }

  private void approve(Context ctx) {
    String author = AdminApi.author(AdminApi.body(ctx, "author"));
    AdminApi.json(ctx, api.docJson(recompute.approve(ctx.pathParam("id"), author)));
  }

  private void reject(Context ctx) {
    String id = ctx.pathParam("id");
    recompute.reject(id, AdminApi.author(AdminApi.body(ctx, "author")));
    AdminApi.json(ctx, Json.object().put("id", id).put("rejected", true));
  }

  /** {@code POST /admin/documents/recompute}: one pass now, within the same hourly budget. */
  private void runNow(Context ctx) {
    if (!recompute.enabled()) {
      throw ApiException.conflict("Recomputing documents is off: it needs "
          + "documents.recompute.per-hour above 0 and upstream.api-key set.", "recompute_off");
    }
    DocumentRecompute.Pass p = recompute.runOnce();
    JsonNode out = Json.object().put("drafted", p.drafted()).put("failed", p.failed())
        .put("waiting", p.waiting());
    AdminApi.json(ctx, out);
  }
}
