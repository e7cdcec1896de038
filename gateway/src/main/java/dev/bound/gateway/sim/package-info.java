/**
 * A simulated LLM endpoint for the demo and the tests: deterministic answers, honest token
 * counts, paced like a model, with no network and no key.
 */
package dev.bound.gateway.sim;
