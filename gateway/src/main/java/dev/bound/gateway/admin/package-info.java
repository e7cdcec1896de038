/**
 * The operator's side of Bound: the admin API under {@code /admin} (browsing the cache, bound
 * documents, the index), the savings dashboard under {@code /dashboard}, and the tokens that
 * guard both. The dashboard's page, script and styles are class-path resources under
 * {@code /bound/dashboard/}.
 */
package dev.bound.gateway.admin;
