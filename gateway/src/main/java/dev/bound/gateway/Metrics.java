package dev.bound.gateway;

import io.javalin.config.RoutesConfig;
import java.util.function.LongSupplier;

/** Prometheus metrics at {@code GET /metrics}. (Being built for issue 6.) */
final class Metrics implements Outcome.Observer {
  Metrics(LongSupplier entries, LongSupplier documents) {
  }

  void register(RoutesConfig routes) {
  }

  @Override
  public void observe(Outcome o) {
  }
}
