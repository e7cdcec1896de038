package dev.bound.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** storage.backend and the storage.solr.* keys. */
class StorageBackendConfigTest {
  @Test
  void defaults_embeddedWithSolrSettingsUnused() {
    BoundConfig.Storage s = BoundConfig.defaults().storage();
    assertEquals("embedded", s.backend());
    assertEquals("bound", s.solr().collection());
    assertEquals(2, s.solr().replicas());
    assertEquals(Duration.ofMillis(500), s.solr().softCommit());
  }

  @Test
  void solr_urlsAreSplitAndTrimmed() {
    BoundConfig c = BoundConfig.resolve(Map.of("storage.backend", "solr",
        "storage.solr.urls", "http://a:8983/solr, http://b:8983/solr"),
        Map.of("BOUND_STORAGE_SOLR_PASSWORD", "secret"), null);
    assertEquals(List.of("http://a:8983/solr", "http://b:8983/solr"), c.storage().solr().urls());
    assertEquals("secret", c.storage().solr().password());
  }

  @Test
  void solr_withoutUrls_namesTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> BoundConfig.resolve(Map.of("storage.backend", "solr"), Map.of(), null));
    assertEquals("storage.solr.urls is required when storage.backend is solr: name one or more "
        + "Solr nodes, such as http://localhost:8983/solr", e.getMessage());
  }

  @Test
  void solr_badCollectionOrUrl_namesTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> BoundConfig.resolve(Map.of(
        "storage.solr.collection", "no spaces"), Map.of(), null));
    assertEquals("storage.solr.collection: 'no spaces' is not a valid collection name (letters, "
        + "digits, '.', '_', '-', not starting with '-')", e.getMessage());
    e = assertThrows(ConfigException.class, () -> BoundConfig.resolve(Map.of(
        "storage.solr.urls", "solr1:8983"), Map.of(), null));
    assertEquals("storage.solr.urls: 'solr1:8983' is not an http or https URL", e.getMessage());
  }

  @Test
  void backend_unknown_isRefused() {
    assertThrows(ConfigException.class,
        () -> BoundConfig.resolve(Map.of("storage.backend", "redis"), Map.of(), null));
  }

  @Test
  void solr_urlsWithoutAHostOrWithABadPort_areRefusedAtStart() {
    for (String u : new String[] {"http://", "http://bad host:8983/solr",
        "http://a:99999/solr"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> BoundConfig.resolve(Map.of(
          "storage.backend", "solr", "storage.solr.urls", u), Map.of(), null));
      assertTrue(e.getMessage().startsWith("storage.solr.urls: '" + u + "'"), e.getMessage());
    }
  }
}
