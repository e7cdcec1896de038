/**
 * Benchmarks run from the command line: load against the gateway, side-by-side comparison with a
 * plain proxy, and time to first token.
 */
package dev.bound.gateway.bench;
