/**
 * The energy model: what a model call costs in Wh, gCO2e and money, estimated from the model's
 * published shape and how it is served, with a stated low–high band. Every value type checks its
 * fields on construction; nothing here is null unless its Javadoc says so. The method and its
 * sources are in {@code models/ENERGY.md}.
 */
package dev.bound.models.energy;
