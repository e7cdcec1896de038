/** The {@code bound} command line: serve, demo, eval, bench, compare, energy and their options. */
package dev.bound.gateway.cli;
