/**
 * The write-ahead journal of fresh answers: each answer is appended here before its response
 * completes, so an answer that is not yet in the Lucene index survives a crash of the process and
 * is indexed at the next start. Parameters and return values are non-null unless their Javadoc
 * says otherwise.
 */
package dev.bound.index.journal;
