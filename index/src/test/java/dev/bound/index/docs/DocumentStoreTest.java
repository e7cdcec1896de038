package dev.bound.index.docs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bound.index.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentStoreTest {

  private static final List<String> QUESTIONS =
      List.of("How do I reset my password?", "password reset");
  private static final String ANSWER = "Open Settings, then Security, then Reset password.";
  private static final DocScope SCOPE = new DocScope("gpt-4o-mini", "*");
  private static final Provenance PROVENANCE =
      new Provenance("e-42", "gpt-4o-mini-2024-07-18", 12L, 34L);

  @TempDir Path tmp;
  private Path keyDir;
  private Path dir;
  private DocumentSigner signer;
  private DocumentStore store;

  @BeforeEach
  void setUp() {
    keyDir = tmp.resolve("keys");
    dir = tmp.resolve("docs");
    signer = DocumentSigner.open(keyDir);
    store = open();
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private DocumentStore open() {
    return DocumentStore.open(dir, signer, new Fixtures.TickingClock());
  }

  private DocumentStore reopen() {
    store.close();
    store = open();
    return store;
  }

  private Document create() {
    return store.create(QUESTIONS, ANSWER, SCOPE, "alice", PROVENANCE);
  }

  private boolean verifies(Document d) {
    return DocumentSigner.verify(d, signer.publicKey());
  }

  @Test
  void create_returnsSignedActiveVersionOne() {
    Document d = create();
    assertTrue(d.id().matches("doc_[A-Za-z0-9_-]{20}"), d.id());
    assertEquals(1, d.version());
    assertEquals(DocStatus.ACTIVE, d.status());
    assertEquals(QUESTIONS, d.questions());
    assertEquals(ANSWER, d.answer());
    assertEquals(SCOPE, d.scope());
    assertEquals("alice", d.author());
    assertEquals(PROVENANCE, d.provenance());
    assertEquals(d.createdMillis(), d.updatedMillis());
    assertTrue(verifies(d));
    assertEquals(Optional.of(d), store.get(d.id()));
    assertTrue(Files.isRegularFile(dir.resolve(d.id()).resolve("v1.json")));
  }

  @Test
  void create_invalidContent_writesNothing() throws Exception {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> store.create(List.of(), ANSWER, SCOPE, "alice", null));
    assertEquals("questions must not be empty", e.getMessage());
    var e2 =
        assertThrows(
            IllegalArgumentException.class,
            () -> store.create(QUESTIONS, "", SCOPE, "alice", null));
    assertEquals("answer must not be blank", e2.getMessage());
    assertEquals(List.of(), store.list(d -> true));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(".lock"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void edit_twice_keepsVersionsOneTwoThree() {
    Document v1 = create();
    Document v2 = store.edit(v1.id(), DocEdit.by("bob").withAnswer("Settings > Security."));
    Document v3 =
        store.edit(
            v1.id(),
            DocEdit.by("carol").withQuestions(List.of("reset password")).expectingVersion(2));

    assertEquals(2, v2.version());
    assertEquals(3, v3.version());
    assertEquals("Settings > Security.", v3.answer()); // unchanged parts carry over
    assertEquals(List.of("reset password"), v3.questions());
    assertEquals("carol", v3.author());
    assertEquals(v1.createdMillis(), v3.createdMillis());
    assertTrue(v3.updatedMillis() > v2.updatedMillis());

    List<Document> history = store.history(v1.id());
    assertEquals(List.of(1, 2, 3), history.stream().map(Document::version).toList());
    assertEquals(
        List.of(DocStatus.SUPERSEDED, DocStatus.SUPERSEDED, DocStatus.ACTIVE),
        history.stream().map(Document::status).toList());
    assertEquals(ANSWER, history.get(0).answer());
    assertEquals("Settings > Security.", history.get(1).answer());
    assertTrue(history.stream().allMatch(this::verifies));
    assertEquals(Optional.of(v3), store.get(v1.id()));
    assertEquals(ANSWER, store.get(v1.id(), 1).orElseThrow().answer());
    assertEquals(Optional.empty(), store.get(v1.id(), 4));

    reopen();
    assertEquals(history, store.history(v1.id()));
  }

  @Test
  void edit_expectedVersionNotLatest_conflict() {
    Document v1 = create();
    store.edit(v1.id(), DocEdit.by("bob").withAnswer("new"));
    var e =
        assertThrows(
            DocumentException.class,
            () -> store.edit(v1.id(), DocEdit.by("carol").withAnswer("x").expectingVersion(1)));
    assertEquals(DocumentException.Reason.CONFLICT, e.reason());
    assertEquals("document " + v1.id() + " is at version 2, not 1", e.getMessage());
    assertEquals(2, store.history(v1.id()).size());
  }

  @Test
  void edit_unknownId_notFound() {
    var e =
        assertThrows(
            DocumentException.class,
            () -> store.edit(Fixtures.id('z'), DocEdit.by("bob").withAnswer("x")));
    assertEquals(DocumentException.Reason.NOT_FOUND, e.reason());
    assertEquals("no document " + Fixtures.id('z'), e.getMessage());
  }

  @Test
  void edit_invalidChange_leavesDocumentAsItWas() {
    Document v1 = create();
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> store.edit(v1.id(), DocEdit.by("bob").withQuestions(List.of("a", "A"))));
    assertEquals("questions[1] repeats questions[0]", e.getMessage());
    assertEquals(List.of(v1), store.history(v1.id()));
  }

  @Test
  void revoke_keepsRecordButLeavesActive() {
    Document v1 = create();
    Document other = store.create(List.of("refund window"), "30 days", SCOPE, "alice", null);
    Document revoked = store.revoke(v1.id(), "dave");

    assertEquals(DocStatus.REVOKED, revoked.status());
    assertEquals(2, revoked.version());
    assertEquals("dave", revoked.author());
    assertEquals(ANSWER, revoked.answer());
    assertTrue(verifies(revoked));
    assertEquals(List.of(other), store.active());
    assertEquals(Optional.of(revoked), store.get(v1.id()));
    assertEquals(DocStatus.SUPERSEDED, store.get(v1.id(), 1).orElseThrow().status());

    var e = assertThrows(DocumentException.class, () -> store.revoke(v1.id(), "dave"));
    assertEquals("document " + v1.id() + " is revoked", e.getMessage());
    var e2 =
        assertThrows(
            DocumentException.class, () -> store.edit(v1.id(), DocEdit.by("bob").withAnswer("x")));
    assertEquals(DocumentException.Reason.CONFLICT, e2.reason());

    reopen();
    assertEquals(Optional.of(revoked), store.get(v1.id()));
    assertEquals(List.of(other), store.active());
  }

  @Test
  void list_filtersLatestVersions() {
    Document a = create();
    Document b = store.create(List.of("refund window"), "30 days", DocScope.any(), "bob", null);
    store.revoke(b.id(), "bob");
    assertEquals(
        List.of(a.id(), b.id()), store.list(d -> true).stream().map(Document::id).toList());
    assertEquals(
        List.of(b.id()),
        store.list(d -> d.status() == DocStatus.REVOKED).stream().map(Document::id).toList());
  }

  @Test
  void flagForReview_persistsAcrossReopen_andEditClearsIt() {
    Document d = create();
    ReviewFlag flag = store.flagForReview(d.id(), "upstream model changed from X to Y");
    assertEquals(1, flag.version());
    // The same reason again is one flag, not two.
    assertEquals(flag, store.flagForReview(d.id(), "upstream model changed from X to Y"));
    ReviewFlag second = store.flagForReview(d.id(), "answer mentions a retired product");
    assertEquals(List.of(flag, second), store.reviewFlags(d.id()));

    reopen();
    assertEquals(List.of(flag, second), store.reviewFlags(d.id()));

    store.edit(d.id(), DocEdit.by("bob"));
    assertEquals(List.of(), store.reviewFlags(d.id()));
    assertFalse(Files.exists(dir.resolve(d.id()).resolve(DocumentStore.REVIEW_FILE)));
    reopen();
    assertEquals(List.of(), store.reviewFlags(d.id()));
  }

  @Test
  void flagForReview_staleFlagsFromAnInterruptedEditAreIgnored() throws Exception {
    Document d = create();
    store.flagForReview(d.id(), "check me");
    byte[] flags = Files.readAllBytes(dir.resolve(d.id()).resolve(DocumentStore.REVIEW_FILE));
    store.edit(d.id(), DocEdit.by("bob"));
    // As if the edit crashed after writing versions but before deleting the flags.
    Files.write(dir.resolve(d.id()).resolve(DocumentStore.REVIEW_FILE), flags);
    reopen();
    assertEquals(List.of(), store.reviewFlags(d.id()));
  }

  @Test
  void open_leftoverTempAndDamagedFiles_doNotBreakOpenOrExistingDocuments() throws Exception {
    Document a = create();
    Document a2 = store.edit(a.id(), DocEdit.by("bob").withAnswer("second"));
    Document b = store.create(List.of("refund window"), "30 days", SCOPE, "alice", null);
    store.close();

    Path aDir = dir.resolve(a.id());
    byte[] partial =
        "{\"format\":\"bound.document/1\",\"id\":\"doc_".getBytes(StandardCharsets.UTF_8);
    Files.write(aDir.resolve("v3.json.tmp"), partial); // crash mid-write
    Files.write(aDir.resolve("v3.json"), partial); // a torn file that reached its final name
    Files.createDirectory(dir.resolve(".import-" + Fixtures.id('q'))); // crash mid-import
    byte[] v1Before = Files.readAllBytes(aDir.resolve("v1.json"));

    store = open();
    assertEquals(Optional.of(a2), store.get(a.id()));
    assertEquals(List.of(a.id(), b.id()), store.active().stream().map(Document::id).toList());
    assertArrayEquals(v1Before, Files.readAllBytes(aDir.resolve("v1.json")));
    assertFalse(Files.exists(aDir.resolve("v3.json.tmp")));
    assertArrayEquals(partial, Files.readAllBytes(aDir.resolve("v3.json"))); // kept, not deleted
    try (Stream<Path> q = Files.list(dir.resolve(DocumentStore.QUARANTINE_DIR))) {
      List<String> names = q.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(2, names.size(), names.toString());
      assertTrue(
          names.stream().anyMatch(n -> n.endsWith(a.id() + "_v3.json.tmp")), names.toString());
    }
    List<String> problems = store.problems();
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(
        problems.stream()
            .anyMatch(p -> p.startsWith("ignored unreadable " + aDir.resolve("v3.json"))),
        problems.toString());

    // The next version skips the damaged number instead of overwriting it.
    Document next = store.edit(a.id(), DocEdit.by("carol").withAnswer("third"));
    assertEquals(4, next.version());
    assertArrayEquals(partial, Files.readAllBytes(aDir.resolve("v3.json")));
  }

  @Test
  void open_changedFileContent_isReportedAndNotServed() throws Exception {
    Document d = create();
    store.close();
    Path file = dir.resolve(d.id()).resolve("v1.json");
    String json = Files.readString(file).replace("Reset password", "Reset passw0rd");
    Files.writeString(file, json);

    store = open();
    assertEquals(Optional.empty(), store.get(d.id()));
    assertEquals(List.of(), store.active());
    assertEquals(
        List.of(
            "ignored " + file + ": its signature does not verify (changed since signing)",
            "document " + d.id() + " has no readable version in " + dir.resolve(d.id())),
        store.problems());
    assertEquals(json, Files.readString(file)); // evidence is left in place
  }

  @Test
  void open_interruptedEdit_isFinished() throws Exception {
    Document v1 = create();
    // As if an edit wrote version 2 and crashed before superseding version 1.
    Document v2 =
        signer.sign(
            new Draft(
                v1.id(),
                2,
                v1.questions(),
                "newer",
                v1.scope(),
                "bob",
                v1.createdMillis(),
                v1.updatedMillis() + 5,
                null,
                DocStatus.ACTIVE));
    Files.write(dir.resolve(v1.id()).resolve("v2.json"), DocJson.fileBytes(v2));

    reopen();
    List<Document> history = store.history(v1.id());
    assertEquals(
        List.of(DocStatus.SUPERSEDED, DocStatus.ACTIVE),
        history.stream().map(Document::status).toList());
    assertTrue(verifies(history.get(0)));
    assertEquals(Optional.of(v2), store.get(v1.id()));
    reopen();
    assertEquals(history, store.history(v1.id()));
  }

  @Test
  void open_secondStoreOnSameDirectory_refused() {
    var e = assertThrows(IllegalStateException.class, this::open);
    assertTrue(
        e.getMessage().endsWith("is in use by another store (its .lock is held)"), e.getMessage());
  }

  @Test
  void close_laterWritesFail() {
    store.close();
    var e = assertThrows(IllegalStateException.class, this::create);
    assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
  }

  @Test
  void create_childJvmHaltedRightAfterReturn_documentSurvives() throws Exception {
    store.close();
    ChildJvm.Result child =
        ChildJvm.run(KilledDocWriterMain.class, keyDir.toString(), dir.toString());
    String output = child.output();
    assertEquals(KilledDocWriterMain.EXIT_CODE, child.exitCode(), output);
    String id =
        output.lines().filter(l -> l.startsWith("CREATED ")).findFirst().orElseThrow().substring(8);

    // The dead process's lock is gone with it; the document is whole and verifies.
    store = open();
    Document d = store.get(id).orElseThrow();
    assertEquals("30 days from delivery.", d.answer());
    assertTrue(verifies(d));
    assertEquals(List.of(), store.problems());
  }

  @Test
  void exportAll_importIntoFreshStoreWithOtherKey_roundTrip() throws Exception {
    Document a = create();
    store.edit(a.id(), DocEdit.by("bob").withAnswer("second"));
    Document b = store.create(List.of("refund window"), "30 days", DocScope.any(), "bob", null);
    store.revoke(b.id(), "carol");
    String export = store.exportAll();

    DocumentSigner otherSigner = DocumentSigner.open(tmp.resolve("keys2"));
    Path otherDir = tmp.resolve("docs2");
    try (DocumentStore other = DocumentStore.open(otherDir, otherSigner)) {
      assertEquals(new DocumentStore.ImportResult(2, 0, 0),
          other.importAll(export, List.of(signer.publicKey())));
      assertEquals(store.history(a.id()), other.history(a.id()));
      assertEquals(store.history(b.id()), other.history(b.id()));
      assertEquals(List.of(a.id()), other.active().stream().map(Document::id).toList());
      // Importing the same export again changes nothing.
      assertEquals(new DocumentStore.ImportResult(0, 0, 2),
          other.importAll(export, List.of(signer.publicKey())));
      assertEquals(
          List.of(otherSigner.publicKey(), signer.publicKey()),
          DocumentSigner.fromJwkSet(other.keySet()));
    }
    // The imported key was kept, so the imported documents still verify after a restart.
    try (DocumentStore other = DocumentStore.open(otherDir, otherSigner)) {
      assertEquals(List.of(), other.problems());
      assertEquals(store.history(a.id()), other.history(a.id()));
      // An edit here is signed with this store's own key.
      Document edited = other.edit(a.id(), DocEdit.by("erin").withAnswer("third"));
      assertEquals(otherSigner.kid(), edited.kid());
      assertEquals(otherSigner.kid(), other.get(a.id(), 2).orElseThrow().kid());
      assertEquals(signer.kid(), other.get(a.id(), 1).orElseThrow().kid());
    }
  }

  @Test
  void importAll_oneTamperedDocument_importsNothingAndNamesIt() throws Exception {
    create();
    Document b = store.create(List.of("refund window"), "30 days", DocScope.any(), "bob", null);
    JsonNode export = DocJson.MAPPER.readTree(store.exportAll());
    for (JsonNode n : export) {
      if (n.get("id").asText().equals(b.id())) {
        ((ObjectNode) n).put("answer", "31 days");
      }
    }

    Path otherDir = tmp.resolve("docs2");
    try (DocumentStore other =
        DocumentStore.open(otherDir, DocumentSigner.open(tmp.resolve("keys2")))) {
      var e =
          assertThrows(
              DocumentException.class,
              () -> other.importAll(export.toString(), List.of(signer.publicKey())));
      assertEquals(DocumentException.Reason.REJECTED, e.reason());
      assertEquals(
          "document " + b.id() + " version 1 has an invalid signature; nothing was imported",
          e.getMessage());
      assertEquals(List.of(), other.list(d -> true));
    }
    try (Stream<Path> s = Files.list(otherDir)) {
      assertEquals(List.of(".lock"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  /**
   * Restoring from a backup a document whose file here was damaged was refused with "see
   * problems()", a Java method's name, and no word of what to do.
   */
  @Test
  void importAll_documentWithDamagedFilesHere_saysWhereTheyAreListedAndWhatToDo()
      throws Exception {
    Document a = create();
    String export = store.exportAll();
    store.close();
    Files.writeString(dir.resolve(a.id()).resolve("v1.json"), "{\"id\":");
    store = open();
    var e = assertThrows(DocumentException.class,
        () -> store.importAll(export, List.of(signer.publicKey())));
    assertEquals(DocumentException.Reason.REJECTED, e.reason());
    assertEquals("document " + a.id() + " has unreadable files here (listed under problems by "
        + "GET /admin/documents): move " + dir.toAbsolutePath().normalize().resolve(a.id())
        + " aside and import again; nothing was imported", e.getMessage());

    Files.move(dir.resolve(a.id()), tmp.resolve("aside"));
    assertEquals(new DocumentStore.ImportResult(1, 0, 0),
        store.importAll(export, List.of(signer.publicKey())));
  }

  @Test
  void importAll_untrustedKey_rejected() {
    Document a = create();
    String export = store.exportAll();
    try (DocumentStore other =
        DocumentStore.open(tmp.resolve("docs2"), DocumentSigner.open(tmp.resolve("keys2")))) {
      var e = assertThrows(DocumentException.class, () -> other.importAll(export, List.of()));
      assertEquals(
          "document "
              + a.id()
              + " version 1 is signed with key "
              + signer.kid()
              + ", which is not trusted; nothing was imported",
          e.getMessage());
    }
  }

  @Test
  void importAll_incompleteHistory_rejected() throws Exception {
    Document a = create();
    store.edit(a.id(), DocEdit.by("bob").withAnswer("second"));
    JsonNode export = DocJson.MAPPER.readTree(store.exportAll());
    String onlyLatest = "[" + export.get(1) + "]";
    try (DocumentStore other =
        DocumentStore.open(tmp.resolve("docs2"), DocumentSigner.open(tmp.resolve("keys2")))) {
      var e =
          assertThrows(
              DocumentException.class,
              () -> other.importAll(onlyLatest, List.of(signer.publicKey())));
      assertEquals(
          "document " + a.id() + " lacks version 1 (or repeats one); nothing was imported",
          e.getMessage());
    }
  }

  @Test
  void importAll_anEarlierExport_leavesTheLaterHistoryHere() throws Exception {
    Document a = create();
    String before = store.exportAll();
    store.edit(a.id(), DocEdit.by("bob").withAnswer("second"));
    List<Document> history = store.history(a.id());

    // Version 1 was re-signed as superseded here, so the export's copy of it differs in status.
    assertEquals(new DocumentStore.ImportResult(0, 0, 1),
        store.importAll(before, List.of(signer.publicKey())));
    assertEquals(history, store.history(a.id()));
    assertEquals("second", store.get(a.id()).orElseThrow().answer());
  }

  @Test
  void importAll_aLaterExport_carriesTheDocumentOnHereAndSurvivesARestart() throws Exception {
    Document a = create();
    Document b = store.create(List.of("refund window"), "30 days", DocScope.any(), "bob", null);
    DocumentSigner otherSigner = DocumentSigner.open(tmp.resolve("keys2"));
    Path otherDir = tmp.resolve("docs2");
    try (DocumentStore other = DocumentStore.open(otherDir, otherSigner)) {
      other.importAll(store.exportAll(), List.of(signer.publicKey()));
    }
    store.edit(a.id(), DocEdit.by("bob").withAnswer("second"));
    store.edit(a.id(), DocEdit.by("carol").withAnswer("third"));
    store.revoke(b.id(), "carol");
    String later = store.exportAll();

    try (DocumentStore other = DocumentStore.open(otherDir, otherSigner)) {
      List<Document> served = new ArrayList<>();
      other.subscribe(x -> {}, served::add);
      assertEquals(new DocumentStore.ImportResult(0, 2, 0),
          other.importAll(later, List.of(signer.publicKey())));
      assertEquals(store.history(a.id()), other.history(a.id()));
      assertEquals(store.history(b.id()), other.history(b.id()));
      assertEquals("third", other.get(a.id()).orElseThrow().answer());
      assertEquals(List.of(), other.active().stream().filter(d -> d.id().equals(b.id())).toList());
      // The new latest versions were handed on, as an edit's are.
      // In the order of their ids, which are random: compared as a set.
      assertEquals(Set.of(store.get(a.id()).orElseThrow(), store.get(b.id()).orElseThrow()),
          Set.copyOf(served));
      assertEquals(2, served.size());
      assertEquals(new DocumentStore.ImportResult(0, 0, 2),
          other.importAll(later, List.of(signer.publicKey())));
    }
    try (DocumentStore other = DocumentStore.open(otherDir, otherSigner)) {
      assertEquals(List.of(), other.problems());
      assertEquals(store.history(a.id()), other.history(a.id()));
      try (Stream<Path> s = Files.list(otherDir)) {
        assertEquals(Stream.of(".lock", a.id(), b.id(), "keys").sorted().toList(),
            s.map(p -> p.getFileName().toString()).sorted().toList());
      }
    }
  }

  @Test
  void importAll_historiesThatParted_rejectedAndNothingChanged() throws Exception {
    Document a = create();
    Path otherDir = tmp.resolve("docs2");
    DocumentSigner otherSigner = DocumentSigner.open(tmp.resolve("keys2"));
    try (DocumentStore other = DocumentStore.open(otherDir, otherSigner)) {
      other.importAll(store.exportAll(), List.of(signer.publicKey()));
      other.edit(a.id(), DocEdit.by("erin").withAnswer("theirs"));
    }
    store.edit(a.id(), DocEdit.by("bob").withAnswer("ours"));
    Document fresh = store.create(List.of("refund window"), "30 days", DocScope.any(), "bob", null);
    String export = store.exportAll();
    try (DocumentStore other = DocumentStore.open(otherDir, otherSigner)) {
      List<Document> before = other.history(a.id());
      var e = assertThrows(DocumentException.class,
          () -> other.importAll(export, List.of(signer.publicKey())));
      assertEquals(DocumentException.Reason.REJECTED, e.reason());
      assertEquals("document " + a.id() + " version 2 differs here from the import's (ACTIVE by"
          + " erin here, ACTIVE by bob in the import): the histories parted, as when both sides"
          + " edit one version; nothing was imported", e.getMessage());
      assertEquals(before, other.history(a.id()));
      assertEquals(Optional.empty(), other.get(fresh.id()));
    }
  }

  @Test
  void open_anImportInterruptedMidSwap_undoneOrFinished() throws Exception {
    Document a = create();
    store.edit(a.id(), DocEdit.by("bob").withAnswer("second"));
    List<Document> history = store.history(a.id());
    store.close();
    // Stopped after the old history was moved aside, before the new one was put in its place.
    Files.move(dir.resolve(a.id()), dir.resolve(DocumentStore.REPLACED_PREFIX + a.id()));
    Files.createDirectory(dir.resolve(DocumentStore.IMPORT_PREFIX + a.id()));
    reopen();
    assertEquals(history, store.history(a.id()));
    assertTrue(Files.isDirectory(dir.resolve(a.id())));
    assertFalse(Files.exists(dir.resolve(DocumentStore.REPLACED_PREFIX + a.id())));
    assertFalse(Files.exists(dir.resolve(DocumentStore.IMPORT_PREFIX + a.id())));
    store.close();
    // Stopped after the swap, before the old history was deleted: the new one stands.
    Path old = dir.resolve(DocumentStore.REPLACED_PREFIX + a.id());
    Files.createDirectory(old);
    Files.copy(dir.resolve(a.id()).resolve("v1.json"), old.resolve("v1.json"));
    reopen();
    assertEquals(history, store.history(a.id()));
    assertFalse(Files.exists(old));
  }

  @Test
  void create_concurrently_allStoredWithDistinctIds() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Document>> futures = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        String q = "question " + i;
        futures.add(pool.submit(() -> store.create(List.of(q), "answer", SCOPE, "alice", null)));
      }
      Set<String> ids = new HashSet<>();
      for (Future<Document> f : futures) {
        ids.add(f.get(30, TimeUnit.SECONDS).id());
      }
      assertEquals(16, ids.size());
      assertEquals(ids, new HashSet<>(store.active().stream().map(Document::id).toList()));
    } finally {
      pool.shutdownNow();
    }
    reopen();
    assertEquals(16, store.active().size());
  }
}
