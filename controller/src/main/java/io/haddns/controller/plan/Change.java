package io.haddns.controller.plan;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import java.util.Objects;

/** One change to one RRset in a provider. */
public sealed interface Change {

  RecordKey key();

  /** Create an RRset that does not exist. */
  record Create(RecordSet desired) implements Change {
    public Create {
      Objects.requireNonNull(desired, "desired");
    }

    @Override
    public RecordKey key() {
      return desired.key();
    }
  }

  /** Replace the existing RRset {@code current} with {@code desired}. */
  record Update(RecordSet current, RecordSet desired) implements Change {
    public Update {
      Objects.requireNonNull(current, "current");
      Objects.requireNonNull(desired, "desired");
      if (!current.key().equals(desired.key())) {
        throw new IllegalArgumentException("update must keep the key: " + current.key());
      }
    }

    @Override
    public RecordKey key() {
      return desired.key();
    }
  }

  /** Delete the existing RRset {@code current}. */
  record Delete(RecordSet current) implements Change {
    public Delete {
      Objects.requireNonNull(current, "current");
    }

    @Override
    public RecordKey key() {
      return current.key();
    }
  }
}
