/**
 * Deciding whether a cached prompt found by vector search means the same as a new one: the
 * {@link dev.bound.models.match.PairMatcher} (plain cosine or a learned verifier), the
 * {@link dev.bound.models.match.LanguageGuard} for text the embedding model cannot represent,
 * {@link dev.bound.models.match.PairEvaluation} for measuring all of it on labelled pairs, and the
 * error bound: {@link dev.bound.models.match.AdaptivePolicy} over a pooled
 * {@link dev.bound.models.match.PooledCalibration} and per-entry evidence. Nothing here is null
 * unless its Javadoc says so. The method and the measurements are in {@code models/MATCHING.md}.
 */
package dev.bound.models.match;
