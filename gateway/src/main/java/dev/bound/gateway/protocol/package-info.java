/**
 * The APIs clients speak, each as an adapter over one cache pipeline: OpenAI chat completions,
 * completions and Responses, and Anthropic Messages.
 *
 * <p>An adapter does three things. It validates a request and translates it into a
 * {@link dev.bound.gateway.protocol.CanonicalRequest}: the text to match, the scope every stored
 * answer must share, and the sampling settings the cache policy reads. It turns the upstream's
 * answer, whole or streamed, into the canonical answer that is stored. And it writes a stored
 * answer back in its own form, as one body or as its own event stream.
 *
 * <p>The canonical answer is a chat completion ({@code choices[].message} with content and tool
 * calls, {@code finish_reason}, {@code usage} with {@code prompt_tokens} and
 * {@code completion_tokens}); completions keep their {@code text_completion} form. Responses and
 * Messages requests are translated into the chat request that means the same, so an answer
 * stored through one API answers the same question asked through another, for the same model
 * and scope.
 */
package dev.bound.gateway.protocol;
