package dev.bound.gateway;

import java.util.function.Predicate;

/** Looks through a failure's chain of causes, the failure itself first. */
final class Causes {
  private Causes() {}

  /** The first throwable in {@code e}'s chain that is a {@code kind} and passes {@code test}. */
  static <T extends Throwable> T find(Throwable e, Class<T> kind, Predicate<? super T> test) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (kind.isInstance(t) && test.test(kind.cast(t))) {
        return kind.cast(t);
      }
    }
    return null;
  }

  /** The first throwable in {@code e}'s chain that is a {@code kind}, or null. */
  static <T extends Throwable> T find(Throwable e, Class<T> kind) {
    return find(e, kind, t -> true);
  }
}
