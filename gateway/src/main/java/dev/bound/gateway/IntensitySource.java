package dev.bound.gateway;

import dev.bound.config.BoundConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the hourly carbon-intensity profile comes from: the config's 24 figures, the operator's
 * CSV file (read again when it is replaced), or the flat {@code energy.deployment.grid-intensity}.
 */
final class IntensitySource {
  private static final Logger LOG = LoggerFactory.getLogger(IntensitySource.class);

  private final BoundConfig.Dream cfg;
  private final CarbonProfile first;
  private final Path file;
  private long stamp;

  /** Reads the profile; a file that cannot be read or parsed stops the start. */
  IntensitySource(BoundConfig.Dream cfg, double flat) {
    this.cfg = cfg;
    if (!cfg.intensity().isEmpty()) {
      file = null;
      first = CarbonProfile.inline(cfg.intensity());
    } else if (!cfg.intensityFile().isEmpty()) {
      file = Path.of(cfg.intensityFile());
      stamp = stamp(file);
      first = CarbonProfile.csv(file, cfg.zone());
    } else {
      file = null;
      first = CarbonProfile.flat(flat);
    }
  }

  CarbonProfile profile() {
    return first;
  }

  /** The file's profile if the file changed since it was last read; keeps the old on error. */
  synchronized Optional<CarbonProfile> changed() {
    if (file == null) {
      return Optional.empty();
    }
    long s = stamp(file);
    if (s == stamp) {
      return Optional.empty();
    }
    stamp = s;
    try {
      CarbonProfile p = CarbonProfile.csv(file, cfg.zone());
      LOG.info("Read the carbon-intensity profile again from {}", file);
      return Optional.of(p);
    } catch (IllegalStateException e) {
      LOG.warn("{}; keeping the profile read before", e.getMessage());
      return Optional.empty();
    }
  }

  private static long stamp(Path f) {
    try {
      return Files.getLastModifiedTime(f).toMillis() * 31 + Files.size(f);
    } catch (IOException e) {
      return -1;
    }
  }
}
