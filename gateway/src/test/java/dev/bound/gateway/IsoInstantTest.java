package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoInstantTest {
  @Test
  void isInstantToString_forEveryKindOfFraction() {
    Random r = new Random(11);
    long[] seconds = {0, -1, 1_764_590_400L, 253_402_300_799L, 253_402_300_800L, -62_167_219_200L,
        -62_167_219_201L};
    int[] nanos = {0, 1, 999_999_999, 5_000_000, 120_000_000, 123_456_000, 100, 1_000};
    for (long s : seconds) {
      for (int n : nanos) {
        Instant t = Instant.ofEpochSecond(s, n);
        assertEquals(t.toString(), IsoInstant.of(t));
      }
    }
    long now = 1_764_590_400L;
    for (int i = 0; i < 50_000; i++) {
      // Runs within one second and across seconds, so the kept prefix is used and replaced.
      long s = now + r.nextInt(3);
      int n = switch (r.nextInt(4)) {
        case 0 -> r.nextInt(1_000) * 1_000_000;
        case 1 -> r.nextInt(1_000_000) * 1_000;
        case 2 -> 0;
        default -> r.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(s, n);
      assertEquals(t.toString(), IsoInstant.of(t));
    }
  }
}
