package dev.bound.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration setting: its name in a config file, the environment variable and command-line
 * flag that set it, its default, and the parser that checks a value and says what is allowed.
 */
public final class Key<T> {
  private final String name;
  private final String flag;
  private final String defaultValue;
  private final String description;
  private final String allowed;
  private final Function<String, T> parser;

  Key(String name, String flag, String defaultValue, String allowed, String description,
      Function<String, T> parser) {
    this.name = Objects.requireNonNull(name);
    this.flag = Objects.requireNonNull(flag);
    this.defaultValue = Objects.requireNonNull(defaultValue);
    this.allowed = Objects.requireNonNull(allowed);
    this.description = Objects.requireNonNull(description);
    this.parser = Objects.requireNonNull(parser);
  }

  /** The name used in a config file, for example {@code server.port}. */
  public String name() {
    return name;
  }

  /** The environment variable, for example {@code BOUND_SERVER_PORT}. */
  public String env() {
    return "BOUND_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The command-line flag, for example {@code --port}. */
  public String flag() {
    return flag;
  }

  /** The default as text; empty means "not set". */
  public String defaultValue() {
    return defaultValue;
  }

  /** What values are allowed, in words. */
  public String allowed() {
    return allowed;
  }

  public String description() {
    return description;
  }

  /** Parses and checks a value, failing with a message that names this key and what is allowed. */
  public T parse(String raw, String source) {
    try {
      return parser.apply(raw.strip());
    } catch (RuntimeException e) {
      String why = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
      // Never echo a token back, even a wrong one.
      String shown = name.endsWith(".token") ? "(hidden)" : "'" + raw + "'";
      throw new ConfigException("invalid value " + shown + " for " + name + " from " + source
          + why + ": allowed is " + allowed);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
