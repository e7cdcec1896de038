package dev.bound.index.docs;

import dev.bound.index.SharedConflictException;
import dev.bound.index.SharedLog;
import dev.bound.index.SharedRecord;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bound documents shared through a {@link SharedLog}: every version a store writes goes there
 * first, as one record that may be written only once ({@code doc/<id>/v<n>}), beside the public
 * key that verifies it ({@code key/<kid>}); versions other instances wrote come back through the
 * change feed and are taken in after their signature is checked. Two instances editing the same
 * version race for the same record id, and the second is refused with a conflict.
 */
public final class SharedDocuments {
  private static final Logger LOG = LoggerFactory.getLogger(SharedDocuments.class);
  static final String KIND_VERSION = "doc-version";
  static final String KIND_KEY = "doc-key";

  private final DocumentStore store;
  private final SharedLog log;
  /** Keys read from the log or written to it by this process, by kid. */
  private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();
  /** Ids of the version records known to be in the log. */
  private final Set<String> shared = ConcurrentHashMap.newKeySet();

  private SharedDocuments(DocumentStore store, SharedLog log) {
    this.store = store;
    this.log = log;
  }

  /** From now on every version {@code store} writes goes to {@code log} first. */
  public static SharedDocuments attach(DocumentStore store, SharedLog log) {
    Objects.requireNonNull(store, "store must not be null");
    Objects.requireNonNull(log, "log must not be null");
    SharedDocuments s = new SharedDocuments(store, log);
    store.shareTo(s::put);
    return s;
  }

  /** Whether this class reads records of this kind. */
  public static boolean reads(SharedRecord r) {
    return r.kind().equals(KIND_VERSION) || r.kind().equals(KIND_KEY);
  }

  /**
   * Takes in the document records of one read of the feed: the keys first, since a version's key
   * may come in the same read. A version whose key is unknown or whose signature fails is logged
   * and refused.
   */
  public void apply(List<SharedRecord> records) {
    for (SharedRecord r : records) {
      if (r.kind().equals(KIND_KEY)) {
        readKey(r);
      }
    }
    for (SharedRecord r : records) {
      if (r.kind().equals(KIND_VERSION)) {
        shared.add(r.id());
        readVersion(r);
      }
    }
  }

  /**
   * Writes to the log every version held here that it lacks: documents made before this
   * instance shared its storage. Call it after a first complete read of the feed.
   *
   * @return how many versions were written
   */
  public int shareLocal() {
    int n = 0;
    for (Document d : store.allVersions()) {
      if (!shared.contains(recordId(d))) {
        PublicKey key = store.key(d.kid()).orElse(null);
        if (key == null) {
          continue; // not readable here either; the store listed it among its problems
        }
        put(d, key);
        n++;
      }
    }
    if (n > 0) {
      LOG.info("Shared {} document versions that were kept only here", n);
    }
    return n;
  }

  private void put(Document version, PublicKey key) {
    String kid = DocumentSigner.kidOf(key);
    if (!keys.containsKey(kid)) {
      log.put(SharedRecord.of("key/" + kid, KIND_KEY, DocumentSigner.jwk(key)), true);
      keys.put(kid, key);
    }
    String id = recordId(version);
    String body = new String(DocJson.fileBytes(version), StandardCharsets.UTF_8);
    try {
      log.put(SharedRecord.of(id, KIND_VERSION, body), true);
    } catch (SharedConflictException e) {
      throw new DocumentException(DocumentException.Reason.CONFLICT, "document " + version.id()
          + " version " + version.version() + " was written by another instance meanwhile; "
          + "read the document again and repeat the change");
    }
    shared.add(id);
  }

  private void readKey(SharedRecord r) {
    try {
      PublicKey k = DocumentSigner.fromJwk(r.body());
      String kid = DocumentSigner.kidOf(k);
      if (!r.id().equals("key/" + kid)) {
        LOG.error("Refused the shared key record {}: it holds the key {}", r.id(), kid);
        return;
      }
      keys.putIfAbsent(kid, k);
    } catch (IllegalArgumentException e) {
      LOG.error("Refused the unreadable shared key record {}: {}", r.id(), e.getMessage());
    }
  }

  private void readVersion(SharedRecord r) {
    Document d;
    try {
      d = DocJson.parse(r.body().getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      LOG.error("Refused the unreadable shared document record {}: {}", r.id(), e.getMessage());
      return;
    }
    if (!r.id().equals(recordId(d))) {
      LOG.error("Refused the shared document record {}: it holds document {} version {}",
          r.id(), d.id(), d.version());
      return;
    }
    PublicKey key = keys.getOrDefault(d.kid(), store.key(d.kid()).orElse(null));
    if (key == null) {
      LOG.error("Refused document {} version {} from the shared storage: no key {} to verify it",
          d.id(), d.version(), d.kid());
      return;
    }
    store.absorb(d, key);
  }

  static String recordId(Document d) {
    return "doc/" + d.id() + "/v" + d.version();
  }
}
