package dev.bound.index.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable, thread-safe home of bound documents: every version of every document, signed, one
 * file per version, each written atomically and forced to disk before a method returns.
 *
 * <p>Layout under the directory: {@code <id>/v<version>.json} (the canonical JSON of one version,
 * signature included), {@code <id>/review.json} (open review flags), {@code keys/<kid>.jwk} (public
 * keys of imported documents), {@code quarantine/} (leftovers moved aside at start-up), {@code
 * .import-<id>} and {@code .replaced-<id>} (an import's new history and the old one, for the
 * moment it takes to swap them) and {@code .lock} (held while open; a second process is
 * refused). One file per version was chosen over a journal because documents are few and change
 * rarely: each file is small, readable with any editor, verifiable on its own, and a damaged file
 * costs one version, never the versions written after it. Writes go to a temporary file, which is forced, renamed over the final name and its
 * directory forced; a crash at any instant therefore leaves each final name either absent or whole,
 * and a temporary file found at start-up is moved to quarantine.
 *
 * <p>An edit writes the new version first and only then re-signs the previous one as SUPERSEDED, so
 * a crash in between leaves the new version served; the next open finishes the step. A revocation
 * is a new version with status REVOKED and the revoker as author.
 */
public final class DocumentStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DocumentStore.class);

  static final String LOCK_FILE = ".lock";
  static final String KEYS_DIR = "keys";
  static final String QUARANTINE_DIR = "quarantine";
  static final String REVIEW_FILE = "review.json";
  static final String IMPORT_PREFIX = ".import-";
  /** A document's history an import is replacing, until the new one is in place. */
  static final String REPLACED_PREFIX = ".replaced-";
  private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]{0,8})\\.json");
  private static final Pattern KEY_FILE = Pattern.compile("([A-Za-z0-9_-]{1,64})\\.jwk");

  private final Path root;
  private final DocumentSigner signer;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final SecureRandom random = new SecureRandom();

  /** Serialises every write, so files, memory and listeners change in one order. */
  private final ReentrantLock writeLock = new ReentrantLock();

  /** Each value is immutable and replaced whole, so readers need no lock. */
  private final Map<String, DocState> docs = new ConcurrentHashMap<>();

  private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();
  private final List<Consumer<Document>> listeners = new CopyOnWriteArrayList<>();
  private final List<String> problems = new ArrayList<>();
  /** The forks reported already ({@link #fork}), so a record read again is not reported again. */
  private final Set<String> forks = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  /** Null until {@link #shareTo}; then every new version goes there before it is written here. */
  private volatile VersionSink sink;

  /** A document's readable versions (oldest first), the highest version on disk, its flags. */
  private record DocState(List<Document> versions, int maxVersionOnDisk, List<ReviewFlag> flags) {
    Document latest() {
      return versions.getLast();
    }

    List<ReviewFlag> currentFlags() {
      int v = latest().version();
      return flags.stream().filter(f -> f.version() == v).toList();
    }
  }

  private DocumentStore(
      Path root, DocumentSigner signer, Clock clock, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.signer = signer;
    this.clock = clock;
    this.lockChannel = lockChannel;
    this.lock = lock;
    keys.put(signer.kid(), signer.publicKey());
  }

  /**
   * Opens (creating if needed) the store in {@code dir}, signing new versions with {@code signer}.
   */
  public static DocumentStore open(Path dir, DocumentSigner signer) {
    return open(dir, signer, Clock.systemUTC());
  }

  /**
   * As {@link #open(Path, DocumentSigner)}, with the clock that stamps versions and flags. Files
   * that cannot be read or verified are logged, listed in {@link #problems()} and left in place.
   */
  public static DocumentStore open(Path dir, DocumentSigner signer, Clock clock) {
    Objects.requireNonNull(dir, "dir must not be null");
    Objects.requireNonNull(signer, "signer must not be null");
    Objects.requireNonNull(clock, "clock must not be null");
    Path root = dir.toAbsolutePath().normalize();
    FileChannel channel = null;
    try {
      Files.createDirectories(root);
      channel =
          FileChannel.open(
              root.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IllegalStateException(
            "Document directory " + root + " is in use by another store (its .lock is held)");
      }
      DocumentStore store = new DocumentStore(root, signer, clock, channel, lock);
      store.load();
      log.info(
          "Opened document store at {} ({} documents, {} problems)",
          root,
          store.docs.size(),
          store.problems.size());
      return store;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("Could not open the document store at " + root, e);
    } catch (RuntimeException | Error e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /**
   * Creates, signs and stores version 1 of a new ACTIVE document; {@code provenance} may be null.
   */
  public Document create(
      List<String> questions, String answer, DocScope scope, String author, Provenance provenance) {
    writeLock.lock();
    try {
      ensureOpen();
      long now = clock.millis();
      Draft draft =
          new Draft(
              newId(), 1, questions, answer, scope, author, now, now, provenance, DocStatus.ACTIVE);
      Document doc = signer.sign(draft);
      share(doc);
      Path docDir = root.resolve(doc.id());
      try {
        DurableFiles.createDirectory(docDir);
        DurableFiles.write(versionFile(doc), DocJson.fileBytes(doc));
      } catch (IOException e) {
        UncheckedIOException failure = writeFailed(doc.id(), e);
        try {
          Files.deleteIfExists(docDir); // only if still empty; otherwise open() reports it
        } catch (IOException suppressed) {
          failure.addSuppressed(suppressed);
        }
        throw failure;
      }
      docs.put(doc.id(), new DocState(List.of(doc), 1, List.of()));
      publish(doc);
      return doc;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Stores a new ACTIVE version with the edit's changes and marks the previous one SUPERSEDED;
   * clears the review flags.
   *
   * @throws DocumentException NOT_FOUND for an unknown id, CONFLICT if the document is revoked or
   *     not at the edit's expected version
   */
  public Document edit(String id, DocEdit changes) {
    Objects.requireNonNull(changes, "changes must not be null");
    writeLock.lock();
    try {
      DocState state = require(id);
      Document current = writable(state);
      if (changes.expectedVersion() != 0 && changes.expectedVersion() != current.version()) {
        throw new DocumentException(
            DocumentException.Reason.CONFLICT,
            "document "
                + id
                + " is at version "
                + current.version()
                + ", not "
                + changes.expectedVersion());
      }
      Draft next =
          new Draft(
              id,
              state.maxVersionOnDisk() + 1,
              changes.questions() != null ? changes.questions() : current.questions(),
              changes.answer() != null ? changes.answer() : current.answer(),
              changes.scope() != null ? changes.scope() : current.scope(),
              changes.author(),
              current.createdMillis(),
              stamp(current),
              changes.provenance() != null ? changes.provenance() : current.provenance(),
              DocStatus.ACTIVE);
      return append(state, next);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Withdraws a document: a new version with status REVOKED and {@code by} as its author, never
   * served again but kept for the record.
   *
   * @throws DocumentException NOT_FOUND for an unknown id, CONFLICT if already revoked
   */
  public Document revoke(String id, String by) {
    Checks.nonBlank(by, "by", Draft.MAX_NAME_LENGTH);
    writeLock.lock();
    try {
      DocState state = require(id);
      Document current = writable(state);
      Draft next =
          new Draft(
              id,
              state.maxVersionOnDisk() + 1,
              current.questions(),
              current.answer(),
              current.scope(),
              by,
              current.createdMillis(),
              stamp(current),
              current.provenance(),
              DocStatus.REVOKED);
      return append(state, next);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Records that the latest version needs an admin's attention again; an identical open flag is
   * returned instead of being added twice. The next edit clears it.
   *
   * @throws DocumentException NOT_FOUND for an unknown id, CONFLICT if the document is revoked
   */
  public ReviewFlag flagForReview(String id, String reason) {
    writeLock.lock();
    try {
      DocState state = require(id);
      Document current = writable(state);
      List<ReviewFlag> open = state.currentFlags();
      for (ReviewFlag f : open) {
        if (f.reason().equals(reason)) {
          return f;
        }
      }
      ReviewFlag flag = new ReviewFlag(current.version(), reason, clock.millis());
      List<ReviewFlag> flags = Stream.concat(open.stream(), Stream.of(flag)).toList();
      try {
        DurableFiles.write(root.resolve(id).resolve(REVIEW_FILE), DocJson.flagsBytes(flags));
      } catch (IOException e) {
        throw writeFailed(id, e);
      }
      docs.put(id, new DocState(state.versions(), state.maxVersionOnDisk(), flags));
      return flag;
    } finally {
      writeLock.unlock();
    }
  }

  /** The open review flags of the document's latest version, oldest first; empty if none. */
  public List<ReviewFlag> reviewFlags(String id) {
    Objects.requireNonNull(id, "id must not be null");
    DocState s = docs.get(id);
    return s == null ? List.of() : s.currentFlags();
  }

  /** The latest version of the document, whatever its status. */
  public Optional<Document> get(String id) {
    Objects.requireNonNull(id, "id must not be null");
    DocState s = docs.get(id);
    return s == null ? Optional.empty() : Optional.of(s.latest());
  }

  /** One version of the document. */
  public Optional<Document> get(String id, int version) {
    return history(id).stream().filter(d -> d.version() == version).findFirst();
  }

  /** Every readable version of the document, oldest first; empty for an unknown id. */
  public List<Document> history(String id) {
    Objects.requireNonNull(id, "id must not be null");
    DocState s = docs.get(id);
    return s == null ? List.of() : s.versions();
  }

  /** The latest version of each document that passes {@code filter}, oldest document first. */
  public List<Document> list(Predicate<Document> filter) {
    Objects.requireNonNull(filter, "filter must not be null");
    return docs.values().stream()
        .map(DocState::latest)
        .filter(filter)
        .sorted(Comparator.comparingLong(Document::createdMillis).thenComparing(Document::id))
        .toList();
  }

  /** The latest version of every document that is served, oldest document first. */
  public List<Document> active() {
    return list(Document::isActive);
  }

  /**
   * Every version of every document as a JSON array (by id, then version), each with its signature;
   * {@link #importAll} reads it back. Review flags are local and not exported.
   */
  public String exportAll() {
    writeLock.lock();
    try {
      ensureOpen();
      ArrayNode all = JsonNodeFactory.instance.arrayNode();
      new TreeMap<>(docs)
          .values()
          .forEach(s -> s.versions().forEach(d -> all.add(DocJson.node(d))));
      return DocJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(all);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write the export", e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * What an import did: documents new here, documents here that it carried on to their newer
   * versions, and documents here it left as they were (it held the same history, or an earlier
   * point of it).
   */
  public record ImportResult(int added, int updated, int unchanged) {}

  /**
   * Imports an {@link #exportAll} array after checking all of it: every version must verify with
   * one of {@code trustedKeys} (this store's own key and keys of earlier imports count too), and
   * each document's history must be whole (versions 1 to n, all but the last SUPERSEDED). A
   * document already here must share its history with the import's: the same versions (skipped),
   * fewer of them (this store's later versions are kept), or more (the newer ones are added and the
   * version that was latest here is taken as superseded). Versions compare by their content; the
   * status, time, key and signature that superseding changes are left out of it. Histories that
   * part ways, as when both sides edited the same version, are refused. If any check fails nothing
   * is imported. Each document lands atomically, whole or not at all.
   *
   * @throws DocumentException REJECTED with a message naming the failing document
   */
  public ImportResult importAll(String json, Collection<PublicKey> trustedKeys) {
    return importAll(json, trustedKeys, d -> null);
  }

  /**
   * {@link #importAll(String, Collection)}, refusing it as a whole too when {@code refusal} gives
   * a reason (null for none) against a document's ACTIVE version, the one that would be served.
   *
   * @throws DocumentException REJECTED with a message naming the failing document
   */
  public ImportResult importAll(
      String json, Collection<PublicKey> trustedKeys, Function<Document, String> refusal) {
    Objects.requireNonNull(json, "json must not be null");
    Objects.requireNonNull(trustedKeys, "trustedKeys must not be null");
    Objects.requireNonNull(refusal, "refusal must not be null");
    Map<String, PublicKey> trusted = new LinkedHashMap<>(keys);
    for (PublicKey k : trustedKeys) {
      trusted.putIfAbsent(DocumentSigner.kidOf(k), k);
    }
    Map<String, List<Document>> incoming = checkImport(json, trusted, refusal);
    writeLock.lock();
    try {
      ensureOpen();
      Map<String, List<Document>> fresh = new TreeMap<>();
      // Of a document here that the import carries further, the versions from its latest here on.
      Map<String, List<Document>> newer = new TreeMap<>();
      int unchanged = 0;
      for (var e : incoming.entrySet()) {
        DocState here = docs.get(e.getKey());
        if (here != null) {
          int held = held(e.getKey(), here, e.getValue());
          if (held < e.getValue().size()) {
            newer.put(e.getKey(), e.getValue().subList(held - 1, e.getValue().size()));
          } else {
            unchanged++;
          }
        } else if (Files.exists(root.resolve(e.getKey()))) {
          // The files are evidence, so the import does not replace them; the person is told how.
          throw rejected("document " + e.getKey() + " has unreadable files here (" + PROBLEMS
              + "): move " + root.resolve(e.getKey()) + " aside and import again");
        } else {
          fresh.put(e.getKey(), e.getValue());
        }
      }
      for (List<Document> versions : fresh.values()) {
        versions.forEach(d -> share(d, trusted.get(d.kid())));
      }
      for (List<Document> versions : newer.values()) {
        versions.subList(1, versions.size()).forEach(d -> share(d, trusted.get(d.kid())));
      }
      try {
        for (Map<String, List<Document>> part : List.of(fresh, newer)) {
          for (List<Document> versions : part.values()) {
            for (Document d : versions) {
              storeKey(d.kid(), trusted.get(d.kid()));
            }
          }
        }
        for (var e : fresh.entrySet()) {
          writeImported(e.getKey(), e.getValue());
        }
        for (var e : newer.entrySet()) {
          writeContinued(docs.get(e.getKey()), e.getValue());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Could not import into the document store at " + root, e);
      }
      return new ImportResult(fresh.size(), newer.size(), unchanged);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * The JWK Set of every key that signed a document here: this store's own first, then those of
   * imported documents. Serve it at {@code /.well-known/bound-keys}.
   */
  public String keySet() {
    List<PublicKey> out = new ArrayList<>();
    out.add(signer.publicKey());
    new TreeMap<>(keys)
        .forEach(
            (kid, key) -> {
              if (!kid.equals(signer.kid())) {
                out.add(key);
              }
            });
    return DocumentSigner.jwkSet(out);
  }

  /** What {@code open} found wrong or set aside, one sentence each; empty when all was well. */
  public List<String> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }

  /** Releases the directory lock; later calls fail. Calling it again does nothing. */
  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        lock.release();
      } catch (IOException e) {
        log.warn("Could not release the lock of {}", root, e);
      }
      closeQuietly(lockChannel);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * From now on, sends every new version (created, edited, revoked or imported) to {@code to}
   * before writing it here; if {@code to} fails, the write fails and nothing changes here.
   */
  public void shareTo(VersionSink to) {
    this.sink = Objects.requireNonNull(to, "to must not be null");
  }

  /** Every version of every document, by id and then version; for sharing what was here first. */
  public List<Document> allVersions() {
    return new TreeMap<>(docs).values().stream().flatMap(s -> s.versions().stream()).toList();
  }

  /** A public key this store trusts: its own, or one that signed a version it holds. */
  public Optional<PublicKey> key(String kid) {
    return Optional.ofNullable(keys.get(Objects.requireNonNull(kid, "kid must not be null")));
  }

  /**
   * Takes in a version another instance wrote, if it is new here and {@code key} verifies it; a
   * version that does not verify is logged and refused, never served. A new latest version is
   * served from then on and the one before it is kept, re-signed here, as SUPERSEDED; an older
   * version arriving late is kept for the record only. Idempotent.
   *
   * @return whether the version was new here and taken in
   */
  public boolean absorb(Document version, PublicKey key) {
    Objects.requireNonNull(version, "version must not be null");
    Objects.requireNonNull(key, "key must not be null");
    String name = "document " + version.id() + " version " + version.version();
    if (!DocumentSigner.kidOf(key).equals(version.kid())
        || !DocumentSigner.verify(version, key)) {
      damage("refused " + name + " from the shared storage: its signature does not verify");
      return false;
    }
    writeLock.lock();
    try {
      ensureOpen();
      DocState state = docs.get(version.id());
      Optional<Document> here = state == null ? Optional.empty() : state.versions().stream()
          .filter(d -> d.version() == version.version()).findFirst();
      if (here.isPresent() && !sameContent(here.get(), version)) {
        fork(name, here.get(), version);
        return false;
      }
      if (here.isPresent() || Files.exists(versionFile(version))) {
        return false; // already here (a damaged file is not overwritten either)
      }
      storeKey(version.kid(), key);
      if (state == null) {
        Path dir = root.resolve(version.id());
        if (!Files.isDirectory(dir)) {
          DurableFiles.createDirectory(dir);
        }
        DurableFiles.write(versionFile(version), DocJson.fileBytes(version));
        docs.put(version.id(), new DocState(List.of(version), version.version(), List.of()));
        publish(version);
      } else if (version.version() > state.latest().version()) {
        Document current = state.latest();
        Document superseded = current.status() == DocStatus.SUPERSEDED ? current
            : signer.sign(withStatus(current, DocStatus.SUPERSEDED, version.updatedMillis()));
        writeLatest(state, version, superseded);
      } else {
        Document old = version.status() == DocStatus.SUPERSEDED ? version
            : signer.sign(withStatus(version, DocStatus.SUPERSEDED, version.updatedMillis()));
        DurableFiles.write(versionFile(old), DocJson.fileBytes(old));
        List<Document> versions = new ArrayList<>(state.versions());
        versions.add(old);
        versions.sort(Comparator.comparingInt(Document::version));
        docs.put(version.id(), new DocState(List.copyOf(versions), state.maxVersionOnDisk(),
            state.flags()));
      }
      log.info("Took in {} ({}) from the shared storage", name, version.status());
      return true;
    } catch (IOException e) {
      throw writeFailed(version.id(), e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Two instances wrote different versions under one number (a fork): the one here is kept and
   * served, the other refused, and an operator must settle it. Said once per pair of versions.
   */
  private void fork(String name, Document here, Document there) {
    if (forks.add(name + " " + there.signature())) {
      damage("fork: " + name + " from the shared storage (signed by key " + there.kid()
          + ", by " + there.author() + ") differs from the one here (signed by key " + here.kid()
          + ", by " + here.author() + "); the one here is kept and served, the other refused."
          + " Compare the two and edit the document to the right content");
    }
  }

  /**
   * Hands {@code initial} the documents served now, then registers {@code listener} for the latest
   * version of each document written from then on, all under the write lock, so the listener misses
   * and repeats nothing. Both run under that lock: they must not call back into writes.
   */
  void subscribe(Consumer<List<Document>> initial, Consumer<Document> listener) {
    writeLock.lock();
    try {
      initial.accept(active());
      listeners.add(listener);
    } finally {
      writeLock.unlock();
    }
  }

  // ---- writing --------------------------------------------------------------------------------

  /** New version first, then the old one superseded, then the flags dropped (see class doc). */
  private Document append(DocState state, Draft draft) {
    Document current = state.latest();
    Document next = signer.sign(draft);
    Document superseded =
        signer.sign(withStatus(current, DocStatus.SUPERSEDED, draft.updatedMillis()));
    share(next);
    try {
      writeLatest(state, next, superseded);
    } catch (IOException e) {
      throw writeFailed(next.id(), e);
    }
    return next;
  }

  /** Writes a new latest version and the one before it superseded, drops the flags, serves it. */
  private void writeLatest(DocState state, Document next, Document superseded)
      throws IOException {
    DurableFiles.write(versionFile(next), DocJson.fileBytes(next));
    DurableFiles.write(versionFile(superseded), DocJson.fileBytes(superseded));
    DurableFiles.delete(root.resolve(next.id()).resolve(REVIEW_FILE));
    List<Document> versions = new ArrayList<>(state.versions());
    versions.set(versions.size() - 1, superseded);
    versions.add(next);
    docs.put(next.id(), new DocState(List.copyOf(versions),
        Math.max(state.maxVersionOnDisk(), next.version()), List.of()));
    publish(next);
  }

  private void writeImported(String id, List<Document> versions) throws IOException {
    // Staged in a side directory and renamed into place, so a crash leaves no half history.
    DurableFiles.moveDirectory(staged(id, versions), root.resolve(id));
    serve(id, versions);
  }

  /**
   * Replaces a document's history with its versions here up to the one before the latest, then
   * {@code from}: the latest here as superseded, and the newer versions. The new history is
   * written beside the old and the two directories are swapped by renames; {@link
   * #settleReplacements} finishes or undoes a swap a crash interrupted.
   */
  private void writeContinued(DocState state, List<Document> from) throws IOException {
    String id = from.getFirst().id();
    List<Document> merged =
        new ArrayList<>(state.versions().subList(0, from.getFirst().version() - 1));
    merged.addAll(from);
    Path staging = staged(id, merged);
    Path dir = root.resolve(id);
    Path old = root.resolve(REPLACED_PREFIX + id);
    DurableFiles.moveDirectory(dir, old);
    DurableFiles.moveDirectory(staging, dir);
    deleteTree(old);
    serve(id, merged);
  }

  /** A whole history written to a side directory, ready to be renamed into place. */
  private Path staged(String id, List<Document> versions) throws IOException {
    Path staging = root.resolve(IMPORT_PREFIX + id);
    if (Files.exists(staging)) {
      deleteTree(staging); // an earlier import in this process failed midway; never acknowledged
    }
    Files.createDirectory(staging);
    for (Document d : versions) {
      DurableFiles.write(staging.resolve("v" + d.version() + ".json"), DocJson.fileBytes(d));
    }
    return staging;
  }

  /** Takes a history written in place as the document's, and serves its latest version. */
  private void serve(String id, List<Document> versions) {
    docs.put(id, new DocState(List.copyOf(versions), versions.getLast().version(), List.of()));
    publish(versions.getLast());
  }

  private void storeKey(String kid, PublicKey key) throws IOException {
    if (keys.containsKey(kid)) {
      return;
    }
    Path dir = root.resolve(KEYS_DIR);
    if (!Files.isDirectory(dir)) {
      DurableFiles.createDirectory(dir);
    }
    DurableFiles.write(
        dir.resolve(kid + ".jwk"), DocumentSigner.jwk(key).getBytes(StandardCharsets.UTF_8));
    keys.put(kid, key);
  }

  private void share(Document version) {
    share(version, version.kid().equals(signer.kid()) ? signer.publicKey()
        : keys.get(version.kid()));
  }

  private void share(Document version, PublicKey key) {
    VersionSink to = sink;
    if (to != null) {
      to.put(version, key);
    }
  }

  private void publish(Document latest) {
    for (Consumer<Document> l : listeners) {
      try {
        l.accept(latest);
      } catch (RuntimeException e) {
        // The write is already durable; a listener's failure must not make it look failed.
        log.error("A document listener failed on {}", latest, e);
      }
    }
  }

  private Document writable(DocState state) {
    Document current = state.latest();
    if (current.status() == DocStatus.REVOKED) {
      throw new DocumentException(
          DocumentException.Reason.CONFLICT, "document " + current.id() + " is revoked");
    }
    if (current.status() == DocStatus.SUPERSEDED) {
      throw new DocumentException(
          DocumentException.Reason.CONFLICT,
          "document " + current.id() + " has no readable latest version (" + PROBLEMS + ")");
    }
    return current;
  }

  private DocState require(String id) {
    Objects.requireNonNull(id, "id must not be null");
    ensureOpen();
    DocState s = docs.get(id);
    if (s == null) {
      throw new DocumentException(DocumentException.Reason.NOT_FOUND, "no document " + id);
    }
    return s;
  }

  /** Now, but never before the document's creation, so a clock stepped back cannot break it. */
  private long stamp(Document current) {
    return Math.max(clock.millis(), current.createdMillis());
  }

  private static Draft withStatus(Document d, DocStatus status, long updatedMillis) {
    return new Draft(
        d.id(),
        d.version(),
        d.questions(),
        d.answer(),
        d.scope(),
        d.author(),
        d.createdMillis(),
        Math.max(updatedMillis, d.updatedMillis()),
        d.provenance(),
        status);
  }

  private String newId() {
    while (true) {
      byte[] bytes = new byte[15]; // 120 bits, exactly 20 base64url characters
      random.nextBytes(bytes);
      String id = "doc_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      if (!docs.containsKey(id) && !Files.exists(root.resolve(id))) {
        return id;
      }
    }
  }

  private Path versionFile(Document d) {
    return root.resolve(d.id()).resolve("v" + d.version() + ".json");
  }

  private UncheckedIOException writeFailed(String id, IOException e) {
    return new UncheckedIOException(
        "Could not write document " + id + " in the document store at " + root, e);
  }

  // ---- import checks --------------------------------------------------------------------------

  private static Map<String, List<Document>> checkImport(
      String json, Map<String, PublicKey> trusted, Function<Document, String> refusal) {
    JsonNode array;
    try {
      array = DocJson.tree(json);
    } catch (IllegalArgumentException e) {
      throw rejected("the import is not valid JSON: " + e.getMessage());
    }
    if (!array.isArray()) {
      throw rejected("the import must be a JSON array of documents");
    }
    Map<String, List<Document>> byId = new TreeMap<>();
    for (int i = 0; i < array.size(); i++) {
      JsonNode n = array.get(i);
      Document d;
      try {
        d = DocJson.parse(n);
      } catch (IllegalArgumentException e) {
        String id =
            n.path("id").isTextual() ? " (" + Draft.abbreviate(n.get("id").asText()) + ")" : "";
        throw rejected("element " + i + id + " is not a valid document: " + e.getMessage());
      }
      String name = "document " + d.id() + " version " + d.version();
      PublicKey key = trusted.get(d.kid());
      if (key == null) {
        throw rejected(name + " is signed with key " + d.kid() + ", which is not trusted");
      }
      if (!DocumentSigner.verify(d, key)) {
        throw rejected(name + " has an invalid signature");
      }
      byId.computeIfAbsent(d.id(), k -> new ArrayList<>()).add(d);
    }
    Map<String, List<Document>> out = new TreeMap<>();
    for (var e : byId.entrySet()) {
      List<Document> versions = new ArrayList<>(e.getValue());
      versions.sort(Comparator.comparingInt(Document::version));
      for (int i = 0; i < versions.size(); i++) {
        Document d = versions.get(i);
        if (d.version() != i + 1) {
          throw rejected(
              "document " + e.getKey() + " lacks version " + (i + 1) + " (or repeats one)");
        }
        boolean last = i == versions.size() - 1;
        if (last == (d.status() == DocStatus.SUPERSEDED)) {
          throw rejected(
              "document "
                  + e.getKey()
                  + " version "
                  + d.version()
                  + " is "
                  + d.status()
                  + (last ? " but is its latest version" : " but is not its latest version"));
        }
      }
      Document latest = versions.getLast();
      String why = latest.status() == DocStatus.ACTIVE ? refusal.apply(latest) : null;
      if (why != null) {
        throw rejected("document " + e.getKey() + " version " + latest.version() + ": " + why);
      }
      out.put(e.getKey(), List.copyOf(versions));
    }
    return out;
  }

  /**
   * How many of the import's versions of a document this store already holds: all of them when
   * the import is the same history or an earlier point of it; fewer when the import goes further.
   *
   * @throws DocumentException REJECTED when the two histories part ways, or versions here cannot
   *     be read
   */
  private static int held(String id, DocState here, List<Document> incoming) {
    List<Document> mine = here.versions();
    if (here.maxVersionOnDisk() != mine.size() || mine.getLast().version() != mine.size()) {
      throw rejected("document " + id + " has unreadable versions here (" + PROBLEMS + ")");
    }
    int common = Math.min(mine.size(), incoming.size());
    for (int i = 0; i < common; i++) {
      Document h = mine.get(i);
      Document n = incoming.get(i);
      boolean lastShared = i == common - 1 && mine.size() != incoming.size();
      // Where one side went on, the other's latest is that side's superseded version.
      boolean status =
          h.status() == n.status()
              || lastShared
                  && (mine.size() < incoming.size() ? h : n).status() == DocStatus.ACTIVE
                  && (mine.size() < incoming.size() ? n : h).status() == DocStatus.SUPERSEDED;
      if (!status || !sameContent(h, n)) {
        throw rejected("document " + id + " version " + h.version() + " differs here from the"
            + " import's (" + h.status() + " by " + h.author() + " here, " + n.status() + " by "
            + n.author() + " in the import): the histories parted, as when both sides edit one"
            + " version");
      }
    }
    return common;
  }

  /** Equal but for what superseding a version changes: its status, time, key and signature. */
  private static boolean sameContent(Document a, Document b) {
    boolean superseded = a.status() == DocStatus.SUPERSEDED || b.status() == DocStatus.SUPERSEDED;
    return a.version() == b.version()
        && a.questions().equals(b.questions())
        && a.answer().equals(b.answer())
        && a.scope().equals(b.scope())
        && a.author().equals(b.author())
        && a.createdMillis() == b.createdMillis()
        && Objects.equals(a.provenance(), b.provenance())
        && (superseded || a.updatedMillis() == b.updatedMillis());
  }

  /**
   * Where a client of the admin API reads what the store set aside; the messages said "see
   * problems()", the name of this class's method, which no one calling over HTTP can see.
   */
  private static final String PROBLEMS = "listed under problems by GET /admin/documents";

  private static DocumentException rejected(String message) {
    return new DocumentException(
        DocumentException.Reason.REJECTED, message + "; nothing was imported");
  }

  // ---- loading --------------------------------------------------------------------------------

  private void load() throws IOException {
    loadKeys();
    settleReplacements();
    for (Path p : listSorted(root)) {
      String name = p.getFileName().toString();
      if (name.equals(LOCK_FILE) || name.equals(KEYS_DIR) || name.equals(QUARANTINE_DIR)) {
        continue;
      }
      if (Files.isDirectory(p) && Draft.ID.matcher(name).matches()) {
        loadDocument(p, name);
      } else if (name.startsWith(IMPORT_PREFIX) || name.endsWith(DurableFiles.TMP_SUFFIX)) {
        quarantine(p, "an import or write interrupted by a crash, never acknowledged");
      } else {
        problem("left alone " + p + ": not part of a document store");
      }
    }
    finishInterruptedEdits();
  }

  private void loadKeys() throws IOException {
    Path dir = root.resolve(KEYS_DIR);
    if (!Files.isDirectory(dir)) {
      return;
    }
    for (Path p : listSorted(dir)) {
      String name = p.getFileName().toString();
      Matcher m = KEY_FILE.matcher(name);
      if (name.endsWith(DurableFiles.TMP_SUFFIX)) {
        quarantine(p, "a key write interrupted by a crash");
      } else if (!m.matches()) {
        problem("left alone " + p + ": not a key file");
      } else {
        try {
          PublicKey k = DocumentSigner.fromJwk(Files.readString(p, StandardCharsets.UTF_8));
          if (DocumentSigner.kidOf(k).equals(m.group(1))) {
            keys.putIfAbsent(m.group(1), k);
          } else {
            problem("ignored " + p + ": it holds the key " + DocumentSigner.kidOf(k));
          }
        } catch (IllegalArgumentException | IOException e) {
          problem("ignored unreadable key " + p + ": " + e.getMessage());
        }
      }
    }
  }

  private void loadDocument(Path dir, String id) throws IOException {
    List<Document> versions = new ArrayList<>();
    List<ReviewFlag> flags = List.of();
    int maxVersion = 0;
    for (Path p : listSorted(dir)) {
      String name = p.getFileName().toString();
      Matcher m = VERSION_FILE.matcher(name);
      if (name.endsWith(DurableFiles.TMP_SUFFIX)) {
        quarantine(p, "a write interrupted by a crash, never acknowledged");
      } else if (m.matches()) {
        int v = Integer.parseInt(m.group(1));
        // Counted even when unreadable, so a new version never overwrites a damaged file.
        maxVersion = Math.max(maxVersion, v);
        readVersion(p, id, v).ifPresent(versions::add);
      } else if (name.equals(REVIEW_FILE)) {
        try {
          flags = DocJson.parseFlags(Files.readAllBytes(p));
        } catch (IllegalArgumentException | IOException e) {
          problem("ignored unreadable review flags " + p + ": " + e.getMessage());
        }
      } else {
        problem("left alone " + p + ": not part of a document");
      }
    }
    if (versions.isEmpty()) {
      damage("document " + id + " has no readable version in " + dir);
      return;
    }
    versions.sort(Comparator.comparingInt(Document::version));
    docs.put(id, new DocState(List.copyOf(versions), maxVersion, flags));
  }

  private Optional<Document> readVersion(Path p, String id, int version) {
    Document d;
    try {
      d = DocJson.parse(Files.readAllBytes(p));
    } catch (IllegalArgumentException | IOException e) {
      damage("ignored unreadable " + p + ": " + e.getMessage());
      return Optional.empty();
    }
    if (!d.id().equals(id) || d.version() != version) {
      damage("ignored " + p + ": it holds " + d.id() + " version " + d.version());
      return Optional.empty();
    }
    PublicKey key = keys.get(d.kid());
    if (key == null || !DocumentSigner.verify(d, key)) {
      damage(
          "ignored "
              + p
              + ": its signature does not verify"
              + (key == null ? " (unknown key " + d.kid() + ")" : " (changed since signing)"));
      return Optional.empty();
    }
    return Optional.of(d);
  }

  /**
   * An import that was replacing a document's history when the process stopped ({@link
   * #writeContinued}) is finished when the new history is in place, and undone otherwise; it had
   * not been acknowledged, and its staged copy is quarantined with the other leftovers.
   */
  private void settleReplacements() throws IOException {
    for (Path p : listSorted(root)) {
      String name = p.getFileName().toString();
      String id = name.substring(Math.min(name.length(), REPLACED_PREFIX.length()));
      if (!name.startsWith(REPLACED_PREFIX) || !Draft.ID.matcher(id).matches()) {
        continue;
      }
      if (Files.isDirectory(root.resolve(id))) {
        deleteTree(p);
        log.info("Finished an interrupted import of document {}", id);
      } else {
        DurableFiles.moveDirectory(p, root.resolve(id));
        log.info("Undid an interrupted import of document {}: its history is as before", id);
      }
    }
  }

  /** Supersedes older versions an interrupted edit left ACTIVE (see the class doc). */
  private void finishInterruptedEdits() throws IOException {
    for (DocState s : List.copyOf(docs.values())) {
      List<Document> versions = new ArrayList<>(s.versions());
      boolean changed = false;
      for (int i = 0; i < versions.size() - 1; i++) {
        Document d = versions.get(i);
        if (d.status() != DocStatus.SUPERSEDED) {
          Document fixed = signer.sign(withStatus(d, DocStatus.SUPERSEDED, clock.millis()));
          DurableFiles.write(versionFile(fixed), DocJson.fileBytes(fixed));
          versions.set(i, fixed);
          changed = true;
          log.info("Finished an interrupted edit: {} version {} superseded", d.id(), d.version());
        }
      }
      if (changed) {
        docs.put(
            s.latest().id(), new DocState(List.copyOf(versions), s.maxVersionOnDisk(), s.flags()));
      }
    }
  }

  private void quarantine(Path p, String why) throws IOException {
    Path dir = root.resolve(QUARANTINE_DIR);
    if (!Files.isDirectory(dir)) {
      DurableFiles.createDirectory(dir);
    }
    String base =
        clock.millis()
            + "-"
            + root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "_");
    Path target = dir.resolve(base);
    for (int n = 1; Files.exists(target); n++) {
      target = dir.resolve(base + "." + n);
    }
    Files.move(p, target);
    DurableFiles.syncDirectory(dir);
    problem("moved " + p + " to " + target + ": " + why);
  }

  private void problem(String message) {
    log.warn("Document store {}: {}", root, message);
    synchronized (problems) {
      problems.add(message);
    }
  }

  /** A problem that hides stored content (damage or tampering): an error, not a warning. */
  private void damage(String message) {
    log.error("Document store {}: {}", root, message);
    synchronized (problems) {
      problems.add(message);
    }
  }

  private static List<Path> listSorted(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("The document store at " + root + " is closed");
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing the lock file cannot lose data; the lock is gone with the channel either way
      }
    }
  }
}
