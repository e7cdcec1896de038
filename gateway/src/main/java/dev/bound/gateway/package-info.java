/**
 * The running gateway: the HTTP server ({@link dev.bound.gateway.Gateway}) and the cache pipeline
 * every cached chat-style API shares ({@code CachePipeline}, {@code StoredAnswers},
 * {@code UpstreamForward}, with {@code Exchange} as the record of one request), the cache policy,
 * scope and tiers ({@code CachePolicy}, {@code Scope}, {@code AnswerCache}, {@code Matching},
 * {@code ErrorBoundFile}), bound documents, model versions, energy accounting (with the table
 * {@code bound energy} prints), and the plumbing the subpackages share ({@code Upstream},
 * {@code Http}, {@code Json}, {@code ApiException}, {@code Background}, {@code StateFile}).
 *
 * <p>Subpackages hold the rest: {@code protocol} the client APIs, {@code observe} what records
 * each request, {@code admin} the admin API and dashboard, {@code embeddings} the embeddings
 * cache, and {@code cli}, {@code sim}, {@code eval}, {@code bench} the command line and its tools.
 */
package dev.bound.gateway;
