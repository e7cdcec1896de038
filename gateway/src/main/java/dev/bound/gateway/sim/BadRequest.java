package dev.bound.gateway.sim;

/** A request the simulator refuses with 400; the message is shown to the client as is. */
final class BadRequest extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadRequest(String message) {
    super(message);
  }
}
