/**
 * What Bound learns from the requests it answers. Each request ends in one
 * {@link dev.bound.gateway.observe.Outcome}, handed to every observer: the decision log, the
 * Prometheus metrics, the savings ledger and the per-entry hit counts are all built from it.
 * The wrong-hit estimate, fed by verification and client feedback, lives here too.
 */
package dev.bound.gateway.observe;
