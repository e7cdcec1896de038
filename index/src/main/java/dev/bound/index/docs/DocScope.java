package dev.bound.index.docs;

import java.util.regex.Pattern;

/**
 * Which requests a document may answer: a model name and a tenant namespace, each either exact or
 * {@value #ANY} for any.
 */
public record DocScope(String model, String namespace) {

  /** The wildcard that admits any model or any namespace. */
  public static final String ANY = "*";

  // The tenant syntax the gateway accepts in X-Bound-Namespace (hashed tenants fit it too).
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");

  /** Rejects a blank model and a namespace the gateway could never produce. */
  public DocScope {
    Checks.nonBlank(model, "scope.model", 256);
    Checks.nonBlank(namespace, "scope.namespace", 128);
    if (!ANY.equals(namespace) && !NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "scope.namespace must be * or 1-128 of A-Za-z0-9._:/- but was '" + namespace + "'");
    }
  }

  /** The scope that admits every model and every namespace. */
  public static DocScope any() {
    return new DocScope(ANY, ANY);
  }

  /**
   * True when a request for this model from this tenant may be answered under this scope. A
   * scope naming a namespace ({@code ns:team-a}) admits it under any credential
   * ({@code key:…/ns:team-a}); one naming a whole tenant admits only that tenant.
   */
  public boolean admits(String requestModel, String requestNamespace) {
    return (ANY.equals(model) || model.equals(requestModel))
        && (ANY.equals(namespace) || inNamespace(namespace, requestNamespace));
  }

  /**
   * Whether {@code tenant} ({@code key:…/ns:team-a}, {@code anonymous/ns:team-a}, {@code
   * key:…}) is {@code namespace}: the same tenant, or, for a namespace alone ({@code ns:team-a}),
   * that namespace under any credential. A credential's part never holds a '/', so the namespace
   * is all that follows the first one: {@code anonymous/ns:x/ns:team-a} is namespace {@code
   * x/ns:team-a}, not {@code team-a}.
   */
  public static boolean inNamespace(String namespace, String tenant) {
    if (namespace.equals(tenant)) {
      return true;
    }
    int slash = tenant.indexOf('/');
    return namespace.startsWith("ns:") && slash >= 0 && tenant.substring(slash + 1).equals(namespace);
  }

  /** Ranks scopes from 0 (both wildcards) to 3 (both exact); the model counts more. */
  int specificity() {
    return (ANY.equals(model) ? 0 : 2) + (ANY.equals(namespace) ? 0 : 1);
  }
}
