/**
 * {@code bound eval --stream}: replays a stream of labelled questions through a real gateway and
 * scores every answer it serves (wrong-hit rate with its interval, recall, latency).
 */
package dev.bound.gateway.eval;
