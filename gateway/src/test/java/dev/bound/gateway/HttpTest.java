package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Reading a body, request or upstream answer, whatever length it declares. */
class HttpTest {

  /** A body that hands out at most 7 bytes a read, as a socket may. */
  private static InputStream trickle(byte[] bytes) {
    return new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 7));
      }
    };
  }

  private static byte[] body(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  @Test
  void readAtMost_readsWholeBodies_whateverTheirDeclaredLength() throws IOException {
    int chunk = Http.FIRST_CHUNK;
    for (int n : new int[] {0, 1, 100, chunk, 3 * chunk + 5, Http.EXACT_READ + 3}) {
      byte[] b = body(n);
      for (long declared : new long[] {-1, n, n / 2, 2L * n + 1}) {
        assertArrayEquals(b, Http.readAtMost(trickle(b), 1 << 20, declared),
            n + " bytes declared as " + declared);
      }
    }
  }

  @Test
  void readAtMost_stopsOneByteOverTheLimit() throws IOException {
    byte[] b = body(10_000);
    for (long declared : new long[] {-1, 10_000, 100, 20_000}) {
      byte[] read = Http.readAtMost(trickle(b), 1001, declared);
      assertArrayEquals(Arrays.copyOf(b, 1001), read, "declared as " + declared);
    }
    assertArrayEquals(b, Http.readAtMost(trickle(b), 10_000, 10_000));
  }
}
