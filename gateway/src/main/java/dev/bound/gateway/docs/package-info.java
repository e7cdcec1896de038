/**
 * Recomputing bound documents when the upstream's model changes: the worker that re-asks each
 * affected document's canonical question within an hourly budget, the drafts it keeps for an admin
 * to approve or reject, and the word-level diff shown with each draft. Drafts are never served.
 */
package dev.bound.gateway.docs;
