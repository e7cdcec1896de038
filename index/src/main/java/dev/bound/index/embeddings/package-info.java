/**
 * The embeddings store: what an upstream answered to {@code POST /v1/embeddings}, one value per
 * input item, kept under a hash of everything that determines it. Parameters and return values are
 * non-null unless their Javadoc says otherwise.
 */
package dev.bound.index.embeddings;
