/**
 * Bound documents: answers an admin approved and bound to the questions they answer, signed with
 * Ed25519, kept with their history, and served before the ordinary cache. Parameters and return
 * values are non-null unless their Javadoc says otherwise.
 */
package dev.bound.index.docs;
