package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerStoreBrowseTest {
  @TempDir Path dir;

  private static Entry entry(String id, String prompt, String model, String tenant, long at) {
    return new Entry(id, "scope-" + tenant, prompt.toLowerCase(), prompt, null, model,
        "{\"choices\":[]}", at, tenant);
  }

  @Test
  void browse_filtersByTextModelTenantAndAge_newestFirst() {
    try (AnswerStore s = AnswerStore.open(dir, new StoreOptions("m", 4, 0))) {
      s.addAll(List.of(entry("e1", "How do I reset my password?", "gpt", "ns:a", 1000),
          entry("e2", "Password rules for admins", "gpt", "ns:b", 2000),
          entry("e3", "What is a cache?", "llama", "ns:a", 3000),
          entry("e4", "Reset a PASSWORD by mail", "llama", "ns:a", 4000)));
      assertEquals(List.of("e4", "e3", "e2", "e1"), ids(s.browse(null, null, null, 0, 10, 100)));
      assertEquals(List.of("e4", "e2", "e1"), ids(s.browse("password", null, null, 0, 10, 100)));
      assertEquals(List.of("e4"), ids(s.browse("password", "llama", null, 0, 10, 100)));
      assertEquals(List.of("e4", "e1"), ids(s.browse("password", null, "ns:a", 0, 10, 100)));
      assertEquals(List.of("e4", "e3"), ids(s.browse(null, null, null, 2500, 10, 100)));
      assertEquals(List.of("e4"), ids(s.browse(null, null, null, 0, 1, 100)));
      assertEquals("ns:a", s.get("e1").orElseThrow().tenant());
    }
  }

  @Test
  void withoutVector_findsOnlyEntriesWithoutOne_newestFirst_acrossReopen() {
    float[] v = {1, 0, 0, 0};
    try (AnswerStore s = AnswerStore.open(dir, new StoreOptions("m", 4, 0))) {
      s.addAll(List.of(entry("e1", "first", "gpt", "ns:a", 1000),
          new Entry("e2", "scope-ns:a", "second", "second", v, "gpt", "{}", 2000, "ns:a"),
          entry("e3", "third", "gpt", "ns:b", 3000),
          entry("e4", "fourth", "gpt", "ns:a", 4000)));
      assertEquals(List.of("e4", "e3", "e1"), s.withoutVector(10));
      assertEquals(List.of("e4", "e3"), s.withoutVector(2));
      // Stored again with its vector, an entry is no longer one of them.
      s.add(new Entry("e3", "scope-ns:b", "third", "third", v, "gpt", "{}", 3000, "ns:b"));
      assertEquals(List.of("e4", "e1"), s.withoutVector(10));
    }
    try (AnswerStore s = AnswerStore.open(dir, new StoreOptions("m", 4, 0))) {
      assertEquals(List.of("e4", "e1"), s.withoutVector(10));
      assertThrows(IllegalArgumentException.class, () -> s.withoutVector(0));
    }
  }

  private static List<String> ids(List<Entry> entries) {
    return entries.stream().map(Entry::id).toList();
  }
}
