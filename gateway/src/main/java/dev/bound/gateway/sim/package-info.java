/**
 * The simulated upstream: {@link dev.bound.gateway.sim.SimulatedUpstream}, a stand-in for an LLM
 * endpoint, and the parts behind it. Each protocol reads its request into a {@link
 * dev.bound.gateway.sim.Conversation}; {@link dev.bound.gateway.sim.Responder} alone decides what
 * to answer (made-up text, JSON fitting a schema, or a tool call); the protocol then writes that
 * {@link dev.bound.gateway.sim.Reply} in its own shape, whole or streamed. Nothing here is null
 * unless its Javadoc says so.
 */
package dev.bound.gateway.sim;
