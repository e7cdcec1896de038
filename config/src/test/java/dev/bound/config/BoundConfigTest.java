package dev.bound.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundConfigTest {
  @TempDir Path dir;

  @Test
  void resolve_defaults() {
    BoundConfig c = BoundConfig.defaults();
    assertEquals(8080, c.server().port());
    assertEquals("127.0.0.1", c.server().host());
    assertEquals(4L << 20, c.server().maxBodyBytes());
    assertEquals(Path.of("./bound-data"), c.dataDir());
    assertNull(c.upstream().url());
    assertEquals(Duration.ofSeconds(120), c.upstream().timeout());
    assertEquals(0.3, c.cache().maxTemperature());
    assertEquals("all-minilm-l6-v2-q", c.embedding().model());
  }

  @Test
  void resolve_flagBeatsEnvBeatsFileBeatsDefault() throws Exception {
    Path file = dir.resolve("bound.properties");
    Files.writeString(file, "server.port=7001\ncache.threshold=0.7\ndata.dir=/tmp/a\n");
    Map<String, String> env = Map.of("BOUND_SERVER_PORT", "7002", "BOUND_CACHE_THRESHOLD", "0.75");
    Map<String, String> flags = Map.of("server.port", "7003");

    BoundConfig c = BoundConfig.resolve(flags, env, file);

    assertEquals(7003, c.server().port());
    assertEquals(0.75, c.cache().threshold());
    assertEquals(Path.of("/tmp/a"), c.dataDir());
    assertEquals(256L << 20, c.cache().hotTierBytes());
  }

  @Test
  void resolve_invalidValueNamesKeySourceAndAllowed() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> BoundConfig.resolve(Map.of(), Map.of("BOUND_CACHE_THRESHOLD", "1.5"), null));
    assertEquals("invalid value '1.5' for cache.threshold from environment variable "
        + "BOUND_CACHE_THRESHOLD (out of range): allowed is a number from 0 to 1", e.getMessage());
  }

  @Test
  void resolve_secondOpinionBand_defaultNoneAndRefusals() {
    assertEquals(new BoundConfig.Band(0.4, 0.95),
        BoundConfig.defaults().cache().matching().secondOpinion());
    assertNull(BoundConfig.resolve(Map.of("cache.second-opinion", "none"), Map.of(), null)
        .cache().matching().secondOpinion());
    assertEquals(new BoundConfig.Band(0.5, 0.5),
        BoundConfig.resolve(Map.of("cache.second-opinion", "0.5-0.5"), Map.of(), null)
            .cache().matching().secondOpinion());
    for (String bad : new String[] {"0.9-0.4", "0.4", "0.4-1.5", "-0.1-0.5", "low-high", ""}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> BoundConfig.resolve(Map.of("cache.second-opinion", bad), Map.of(), null), bad);
      assertTrue(e.getMessage().startsWith("invalid value '" + bad + "' for cache.second-opinion"),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("allowed is two scores LOW-HIGH with 0 <= LOW <= HIGH "
          + "<= 1, or none"), e.getMessage());
    }
  }

  @Test
  void resolve_badPortFromFlag() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> BoundConfig.resolve(Map.of("server.port", "http"), Map.of(), null));
    assertTrue(e.getMessage().startsWith("invalid value 'http' for server.port from flag --port"),
        e.getMessage());
  }

  @Test
  void resolve_upstreamMustBeHttp() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> BoundConfig.resolve(Map.of("upstream.url", "ftp://x/v1"), Map.of(), null));
    assertTrue(e.getMessage().contains("upstream.url"), e.getMessage());
    BoundConfig ok = BoundConfig.resolve(Map.of("upstream.url", "http://127.0.0.1:9/v1"),
        Map.of(), null);
    assertEquals(URI.create("http://127.0.0.1:9/v1"), ok.upstream().url());
  }

  @Test
  void resolve_unknownKeyInFileIsRefused() throws Exception {
    Path file = dir.resolve("bound.properties");
    Files.writeString(file, "server.prot=7001\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> BoundConfig.resolve(Map.of(), Map.of(), file));
    assertTrue(e.getMessage().startsWith("unknown key 'server.prot' in config file"),
        e.getMessage());
  }

  @Test
  void resolve_keySetTwiceInFileIsRefused() throws Exception {
    Path file = dir.resolve("bound.properties");
    Files.writeString(file, "server.port = 7001\ncache.threshold=0.9\nserver.port: 7002\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> BoundConfig.resolve(Map.of(), Map.of(), file));
    assertTrue(e.getMessage().endsWith(
        "sets server.port more than once; keep one line for each key"), e.getMessage());
  }

  @Test
  void resolve_sizesAndDurations() {
    BoundConfig c = BoundConfig.resolve(Map.of("server.max-body", "512KiB",
        "upstream.timeout", "1500ms", "demo.ttft", "0ms"), Map.of(), null);
    assertEquals(512L * 1024, c.server().maxBodyBytes());
    assertEquals(Duration.ofMillis(1500), c.upstream().timeout());
    assertEquals(Duration.ZERO, c.demo().ttft());
    assertThrows(ConfigException.class,
        () -> BoundConfig.resolve(Map.of("upstream.timeout", "10"), Map.of(), null));
  }

  @Test
  void keys_namesFlagsAndEnvAreUnique() {
    Set<String> seen = new HashSet<>();
    for (Key<?> k : Keys.ALL) {
      assertTrue(seen.add(k.name()), k.name());
      assertTrue(seen.add(k.flag()), k.flag());
      assertTrue(seen.add(k.env()), k.env());
      assertTrue(k.flag().startsWith("--"), k.flag());
    }
    assertEquals("BOUND_UPSTREAM_API_KEY", Keys.UPSTREAM_KEY.env());
  }

  @Test
  void storage_defaultsAndZeroFlush() {
    BoundConfig d = BoundConfig.defaults();
    assertEquals(Duration.ofSeconds(1), d.storage().journalFlush());
    assertEquals(10_000, d.storage().maxBacklog());
    BoundConfig c = BoundConfig.resolve(Map.of("storage.journal-flush", "0ms"),
        Map.of("BOUND_STORAGE_MAX_BACKLOG", "50"), null);
    assertEquals(Duration.ZERO, c.storage().journalFlush());
    assertEquals(50, c.storage().maxBacklog());
  }

  @Test
  void storage_outOfRange_namesTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> BoundConfig.resolve(Map.of("storage.journal-flush", "2m"), Map.of(), null));
    assertEquals("invalid value '2m' for storage.journal-flush from flag --journal-flush (out of "
        + "range): allowed is a duration from 0ms to 1m; 0ms forces every answer before its "
        + "response is sent", e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> BoundConfig.resolve(Map.of("storage.max-backlog", "0"), Map.of(), null));
    assertTrue(e.getMessage().startsWith("invalid value '0' for storage.max-backlog from flag "
        + "--max-backlog"), e.getMessage());
  }

  @Test
  void storageMaxSegments_defaultsToOne_zeroTurnsItOff_outOfRangeNamesTheKey() {
    assertEquals(1, BoundConfig.defaults().storage().maxSegments());
    assertEquals(0, BoundConfig.resolve(Map.of(), Map.of("BOUND_STORAGE_MAX_SEGMENTS", "0"), null)
        .storage().maxSegments());
    ConfigException e = assertThrows(ConfigException.class,
        () -> BoundConfig.resolve(Map.of("storage.max-segments", "1001"), Map.of(), null));
    assertEquals("invalid value '1001' for storage.max-segments from flag --max-segments (out of "
        + "range): allowed is an integer from 0 to 1000; 0 leaves merging to Lucene alone",
        e.getMessage());
  }
}
