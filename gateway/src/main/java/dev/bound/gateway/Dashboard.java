package dev.bound.gateway;

import io.javalin.config.RoutesConfig;
import java.time.Clock;

/** The savings dashboard at {@code /dashboard} and the JSON it reads. (Being built for issue 6.) */
final class Dashboard implements Outcome.Observer {
  Dashboard(AdminAuth auth, SavingsLedger ledger, Clock clock) {
  }

  void register(RoutesConfig routes) {
  }

  @Override
  public void observe(Outcome o) {
  }
}
