package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast six-digit rounding of energy figures gives what rounding the exact value gives. */
class EnergyRoundingTest {
  private static final MathContext SIX = new MathContext(6);

  @Test
  void round_andPlain_matchRoundingTheExactBinaryValue() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 300_000; i++) {
      double v = switch (i % 4) {
        case 0 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(-12, 6));
        // few digits, where the shortest decimal and the binary value part ways
        case 1 -> Math.round(rnd.nextDouble() * 1e7) / Math.pow(10, rnd.nextInt(0, 12));
        case 2 -> (rnd.nextInt(1, 9_999_999) + 0.5) / 1e7;
        default -> -rnd.nextDouble() * rnd.nextInt(1, 100) / 7e3;
      };
      BigDecimal exact = new BigDecimal(v).round(SIX);
      assertEquals(exact.doubleValue(), EnergyAccounting.round(v), "round(" + v + ")");
      assertEquals(exact.stripTrailingZeros().toPlainString(), EnergyAccounting.plain(v),
          "plain(" + v + ")");
    }
  }
}
