package dev.bound.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

  private static List<String> ids(List<Entry> entries) {
    return entries.stream().map(Entry::id).toList();
  }
}
