package dev.bound.index.docs;

import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by the durability test: creates a document, prints its id, and halts the JVM
 * the moment create returns, so nothing gets a chance to close, flush or sync afterwards.
 */
final class KilledDocWriterMain {

  static final int EXIT_CODE = 3;

  private KilledDocWriterMain() {}

  public static void main(String[] args) {
    DocumentSigner signer = DocumentSigner.open(Path.of(args[0]));
    DocumentStore store = DocumentStore.open(Path.of(args[1]), signer);
    Document d =
        store.create(
            List.of("What is our refund window?"),
            "30 days from delivery.",
            DocScope.any(),
            "alice",
            null);
    System.out.println("CREATED " + d.id());
    System.out.flush();
    Runtime.getRuntime().halt(EXIT_CODE);
  }
}
