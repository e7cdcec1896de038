package dev.bound.index.docs;

import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Shared test data: a valid document's parts, and a way to change one field of a record. */
final class Fixtures {

  static final DocScope ANY = DocScope.any();

  private Fixtures() {}

  static Draft draft(String id, int version, DocStatus status) {
    return new Draft(
        id,
        version,
        List.of("How do I reset my password?", "password reset"),
        "Open Settings, then Security, then Reset password.",
        new DocScope("gpt-4o-mini", "team-a"),
        "alice",
        1_700_000_000_000L,
        1_700_000_000_000L + version,
        new Provenance("e-42", "gpt-4o-mini-2024-07-18", 12L, 34L),
        status);
  }

  static String id(char fill) {
    return "doc_" + String.valueOf(fill).repeat(20);
  }

  /** A copy of {@code record} with one component replaced, through the canonical constructor. */
  @SuppressWarnings("unchecked")
  static <R extends Record> R with(R record, String component, Object value) {
    try {
      RecordComponent[] cs = record.getClass().getRecordComponents();
      Object[] args = new Object[cs.length];
      boolean found = false;
      for (int i = 0; i < cs.length; i++) {
        if (cs[i].getName().equals(component)) {
          args[i] = value;
          found = true;
        } else {
          args[i] = cs[i].getAccessor().invoke(record);
        }
      }
      if (!found) {
        throw new IllegalArgumentException("no component " + component);
      }
      Class<?>[] types = Arrays.stream(cs).map(RecordComponent::getType).toArray(Class<?>[]::new);
      var ctor = record.getClass().getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return (R) ctor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e);
    }
  }

  /** A clock that starts at a fixed instant and moves one millisecond each time it is read. */
  static final class TickingClock extends Clock {
    private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

    @Override
    public long millis() {
      return millis.getAndIncrement();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
