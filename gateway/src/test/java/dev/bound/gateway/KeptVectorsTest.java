package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bound.models.Embedder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeptVectorsTest {

  /** A model that gives each text its length as a vector and records every call. */
  static final class Recording implements Embedder {
    final List<List<String>> calls = new ArrayList<>();
    boolean closed;

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public int dimension() {
      return 1;
    }

    @Override
    public float[] embed(String text) {
      calls.add(List.of(text));
      return new float[] {text.length()};
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      calls.add(List.copyOf(texts));
      return texts.stream().map(t -> new float[] {t.length()}).toList();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void embedAll_embedsOnlyTheTextsNotKept_inOneCall_andAnswersInOrder() {
    Recording model = new Recording();
    KeptVectors slots = new KeptVectors(model, KeptVectors.SLOTS);
    List<float[]> first = slots.embedAll(List.of("bitter and snarky", "kind"));
    assertArrayEquals(new float[] {17}, first.get(0));
    assertArrayEquals(new float[] {4}, first.get(1));
    // the query's slot again, against another candidate's
    List<float[]> second = slots.embedAll(List.of("bitter and snarky", "gracious"));
    assertArrayEquals(new float[] {17}, second.get(0));
    assertArrayEquals(new float[] {8}, second.get(1));
    assertEquals(List.of(List.of("bitter and snarky", "kind"), List.of("gracious")), model.calls);
    // all kept: no call at all
    List<float[]> kept = slots.embedAll(List.of("gracious", "kind"));
    assertArrayEquals(new float[] {8}, kept.get(0));
    assertArrayEquals(new float[] {4}, kept.get(1));
    assertEquals(2, model.calls.size());
    assertEquals(17, slots.embed("bitter and snarky")[0]);
    assertEquals(2, model.calls.size());
  }

  @Test
  void keepsNoMoreThanItsBytes() {
    Recording model = new Recording();
    // An entry of a 10-character text costs 96 + 20 + 4 bytes here: room for eight.
    KeptVectors kept = new KeptVectors(model, 1_000);
    for (int i = 0; i < 100; i++) {
      kept.embed(String.format("prompt %03d", i));
    }
    kept.cleanUp();
    assertEquals(100, model.calls.size());
    assertTrue(kept.keptBytes() > 0 && kept.keptBytes() <= 1_000, "kept " + kept.keptBytes());
    for (int i = 0; i < 100; i++) {
      kept.embed(String.format("prompt %03d", i));
    }
    int again = model.calls.size() - 100;
    assertTrue(again >= 92, "at most eight kept, but embedded again only " + again);
    String huge = "x".repeat(1_000);
    kept.embed(huge);
    kept.cleanUp();
    kept.embed(huge);
    kept.cleanUp();
    assertEquals(100 + again + 2, model.calls.size(), "a text larger than the room is not kept");
    assertTrue(kept.keptBytes() <= 1_000, "kept " + kept.keptBytes());
  }

  @Test
  void noBytes_isTheModelItself() {
    Recording model = new Recording();
    assertSame(model, KeptVectors.of(model, 0));
    assertTrue(KeptVectors.of(model, 1) instanceof KeptVectors);
  }

  @Test
  void close_forgetsTheVectors_butLeavesTheModelOpen() {
    Recording model = new Recording();
    KeptVectors slots = new KeptVectors(model, KeptVectors.SLOTS);
    slots.embed("deadpan");
    slots.close();
    assertFalse(model.closed);
    slots.embed("deadpan");
    assertEquals(List.of(List.of("deadpan"), List.of("deadpan")), model.calls);
    assertEquals("recording", slots.name());
    assertEquals(1, slots.dimension());
  }
}
