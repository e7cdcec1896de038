package dev.bound.index.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions one store takes in from another (as shared storage hands them on), without Solr. */
class DocumentStoreAbsorbTest {
  private static final List<String> QUESTIONS = List.of("How do I reset my password?");
  private static final DocScope SCOPE = new DocScope("gpt-4o-mini", "*");

  @TempDir Path tmp;
  private DocumentSigner signerA;
  private DocumentSigner signerB;
  private DocumentStore a;
  private DocumentStore b;

  @BeforeEach
  void setUp() {
    signerA = DocumentSigner.open(tmp.resolve("keys-a"));
    signerB = DocumentSigner.open(tmp.resolve("keys-b"));
    a = DocumentStore.open(tmp.resolve("a"), signerA, new Fixtures.TickingClock());
    b = DocumentStore.open(tmp.resolve("b"), signerB, new Fixtures.TickingClock());
  }

  @AfterEach
  void tearDown() {
    a.close();
    b.close();
  }

  @Test
  void absorb_newVersions_servedAndThePreviousSuperseded() {
    Document v1 = a.create(QUESTIONS, "Open Settings.", SCOPE, "alice", null);
    assertTrue(b.absorb(v1, signerA.publicKey()));
    assertFalse(b.absorb(v1, signerA.publicKey()), "a replay changes nothing");
    assertEquals(List.of(v1), b.active());
    Document v2 = a.edit(v1.id(), DocEdit.by("bob").withAnswer("Open Security."));
    assertTrue(b.absorb(v2, signerA.publicKey()));
    assertEquals(v2, b.get(v1.id()).orElseThrow());
    Document old = b.get(v1.id(), 1).orElseThrow();
    assertEquals(DocStatus.SUPERSEDED, old.status());
    assertTrue(DocumentSigner.verify(old, signerB.publicKey()), "re-signed by the taker");
  }

  @Test
  void absorb_olderVersionLate_keptSupersededLatestUnchanged() {
    Document v1 = a.create(QUESTIONS, "Open Settings.", SCOPE, "alice", null);
    Document v2 = a.edit(v1.id(), DocEdit.by("bob").withAnswer("Open Security."));
    assertTrue(b.absorb(v2, signerA.publicKey()));
    assertTrue(b.absorb(v1, signerA.publicKey()));
    assertEquals(v2, b.get(v1.id()).orElseThrow());
    assertEquals(List.of(1, 2), b.history(v1.id()).stream().map(Document::version).toList());
    assertEquals(DocStatus.SUPERSEDED, b.get(v1.id(), 1).orElseThrow().status());
  }

  @Test
  void absorb_sameVersionOtherContent_isAForkReportedOnceAndTheOneHereKept() {
    Document v1 = a.create(QUESTIONS, "Open Settings.", SCOPE, "alice", null);
    assertTrue(b.absorb(v1, signerA.publicKey()));
    // Both edit version 1 before either has seen the other's edit: two versions 2.
    Document onB = b.edit(v1.id(), DocEdit.by("carol").withAnswer("Open Privacy."));
    Document onA = a.edit(v1.id(), DocEdit.by("bob").withAnswer("Open Security."));
    assertEquals(2, onA.version());
    assertEquals(2, onB.version());
    assertFalse(b.absorb(onA, signerA.publicKey()));
    assertFalse(b.absorb(onA, signerA.publicKey()), "read again by the change feed");
    assertEquals(onB, b.get(v1.id()).orElseThrow());
    List<String> forks = b.problems().stream().filter(p -> p.startsWith("fork: ")).toList();
    assertEquals(1, forks.size(), b.problems().toString());
    assertTrue(forks.get(0).startsWith("fork: document " + v1.id() + " version 2 from the "
        + "shared storage (signed by key " + signerA.kid() + ", by bob) differs from the one "
        + "here (signed by key " + signerB.kid() + ", by carol)"), forks.get(0));
  }

  @Test
  void absorb_aVersionHereSupersededSinceThen_isNoFork() {
    Document v1 = a.create(QUESTIONS, "Open Settings.", SCOPE, "alice", null);
    Document v2 = a.edit(v1.id(), DocEdit.by("bob").withAnswer("Open Security."));
    assertTrue(b.absorb(v1, signerA.publicKey()));
    assertTrue(b.absorb(v2, signerA.publicKey()));
    // b's copy of version 1 is now superseded and signed by b: the same content all the same.
    assertFalse(b.absorb(v1, signerA.publicKey()));
    assertTrue(b.problems().isEmpty(), b.problems().toString());
  }

  @Test
  void absorb_changedAfterSigning_refusedAndListedAsAProblem() {
    Document v1 = a.create(QUESTIONS, "Open Settings.", SCOPE, "alice", null);
    Document forged = Fixtures.with(v1, "answer", "Send me your password.");
    assertFalse(b.absorb(forged, signerA.publicKey()));
    assertFalse(b.absorb(v1, signerB.publicKey()), "the key must be the signer's");
    assertTrue(b.active().isEmpty());
    assertTrue(b.problems().stream().anyMatch(p -> p.contains("does not verify")),
        b.problems().toString());
  }

  @Test
  void absorb_thenReopen_versionsVerifyWithTheKeptKey() {
    Document v1 = a.create(QUESTIONS, "Open Settings.", SCOPE, "alice", null);
    b.absorb(v1, signerA.publicKey());
    b.close();
    b = DocumentStore.open(tmp.resolve("b"), signerB, new Fixtures.TickingClock());
    assertEquals(List.of(v1), b.active());
    assertTrue(b.problems().isEmpty(), b.problems().toString());
    assertTrue(b.key(signerA.kid()).isPresent());
  }

  @Test
  void shareTo_refusingSink_writesNothingHere() {
    List<Document> shared = new ArrayList<>();
    a.shareTo((d, key) -> shared.add(d));
    Document v1 = a.create(QUESTIONS, "Open Settings.", SCOPE, "alice", null);
    assertEquals(List.of(v1), shared);
    b.shareTo((d, key) -> {
      throw new DocumentException(DocumentException.Reason.CONFLICT, "taken");
    });
    assertThrows(DocumentException.class,
        () -> b.create(QUESTIONS, "Open Settings.", SCOPE, "alice", null));
    assertTrue(b.list(d -> true).isEmpty());
    assertTrue(b.allVersions().isEmpty());
  }
}
