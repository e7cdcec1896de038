package dev.bound.index;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Vector helpers: unit normalisation, and a fixed byte encoding for stored vectors. */
final class Vectors {

  private Vectors() {}

  /**
   * Returns a unit-length copy. Lucene's DOT_PRODUCT similarity is only a cosine for unit vectors,
   * so normalising here keeps the reported similarity a true cosine even if a caller's embedder
   * returns vectors that are slightly (or entirely) unnormalised.
   */
  static float[] unit(float[] v, String what) {
    return scaled(v, squaredLength(v, what));
  }

  /** The squared length of {@code v}, which must be non-zero and finite. */
  private static double squaredLength(float[] v, String what) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (!(sum > 0) || !Double.isFinite(sum)) {
      throw new IllegalArgumentException(what + " must have a non-zero, finite length");
    }
    return sum;
  }

  /** A copy of {@code v}, whose squared length is {@code sum}, scaled to unit length. */
  private static float[] scaled(float[] v, double sum) {
    double inv = 1.0 / Math.sqrt(sum);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] * inv);
    }
    return out;
  }

  /**
   * The unit query vector of a search for {@code k} neighbours, after checking the vector against
   * the store's {@code dimension}; both stores check a query the same way.
   */
  static float[] query(float[] vector, int dimension, int k) {
    if (vector.length != dimension) {
      throw new IllegalArgumentException(
          "vector has dimension " + vector.length + " but the store uses " + dimension);
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1 but was " + k);
    }
    requireFinite(vector, "vector");
    return unit(vector, "vector");
  }

  /** The unit copy of an entry's vector, after checking it against the store's dimension. */
  static float[] entryUnit(Entry e, int dimension) {
    return unit(entryVector(e, dimension), "entry " + e.id() + " vector");
  }

  /** An entry's own vector, after checking it against the store's {@code dimension}. */
  private static float[] entryVector(Entry e, int dimension) {
    float[] v = e.vectorUnsafe();
    if (v.length != dimension) {
      throw new IllegalArgumentException("entry " + e.id() + " has a vector of dimension "
          + v.length + " but the store uses " + dimension);
    }
    return v;
  }

  /**
   * What the index holds for an entry's vector, after checking it against the store's {@code
   * dimension}: the vector itself (the same array) when it is already of unit length to within
   * float rounding, as an embedding model's normalised output is, else its unit copy.
   */
  static float[] entryIndexed(Entry e, int dimension) {
    float[] v = entryVector(e, dimension);
    double sum = squaredLength(v, "entry " + e.id() + " vector");
    return Math.abs(sum - 1) <= UNIT_TOLERANCE ? v : scaled(v, sum);
  }

  /** How far a squared length may be from 1 for a vector to count as already of unit length. */
  static final double UNIT_TOLERANCE = 1e-5;

  static void requireFinite(float[] v, String what) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(what + "[" + i + "] must be finite but was " + v[i]);
      }
    }
  }

  /** Little-endian IEEE floats, so the stored form does not depend on the platform. */
  static byte[] toBytes(float[] v) {
    ByteBuffer buf = ByteBuffer.allocate(Float.BYTES * v.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(v);
    return buf.array();
  }

  static float[] fromBytes(byte[] bytes, int offset, int length) {
    if (length % Float.BYTES != 0) {
      throw new IllegalStateException(
          "stored vector has " + length + " bytes, not a multiple of 4");
    }
    float[] v = new float[length / Float.BYTES];
    ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }
}
