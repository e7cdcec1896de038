package dev.bound.gateway.admin;

import java.util.Map;

/**
 * Display names for tenants, from {@code dashboard.tenant-names}. A name given for a credential
 * ({@code key:<hash>} or {@code anonymous}) also names its namespaces: {@code Billing/ns:x}.
 */
public final class TenantNames {
  private static final String NAMESPACE = "/ns:";
  private final Map<String, String> names;

  public TenantNames(Map<String, String> names) {
    this.names = Map.copyOf(names);
  }

  /** The tenant's display name, or null when none is configured. */
  public String name(String tenant) {
    if (tenant == null) {
      return null;
    }
    String exact = names.get(tenant);
    if (exact != null) {
      return exact;
    }
    int ns = tenant.indexOf(NAMESPACE);
    if (ns > 0) {
      String base = names.get(tenant.substring(0, ns));
      if (base != null) {
        return base + tenant.substring(ns);
      }
    }
    return null;
  }
}
