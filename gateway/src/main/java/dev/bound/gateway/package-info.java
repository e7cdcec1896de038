/**
 * The running gateway: the HTTP server ({@link dev.bound.gateway.Gateway}), the cache pipeline
 * every cached API shares ({@code CachePipeline}, {@code StoredAnswers},
 * {@code UpstreamForward}, with {@code Exchange} as the record of one request), the cache
 * policy, scope and tiers ({@code CachePolicy}, {@code Scope}, {@code AnswerCache},
 * {@code Matching}), bound documents, energy accounting, and what observes and administers it
 * all: the savings ledger, metrics, dashboard and admin API.
 */
package dev.bound.gateway;
