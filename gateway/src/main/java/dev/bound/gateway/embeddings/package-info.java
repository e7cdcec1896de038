/**
 * The cache for {@code POST /v1/embeddings}: each input item is cached on its own, exactly, so a
 * request whose items are partly known asks the upstream only for the rest. It shares the
 * upstream client, scoping and observers of the chat cache but not its semantic tiers.
 */
package dev.bound.gateway.embeddings;
