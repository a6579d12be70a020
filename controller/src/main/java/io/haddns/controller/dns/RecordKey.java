package io.haddns.controller.dns;

import java.util.Objects;

/** Identifies one RRset: a canonical owner name and a type. */
public record RecordKey(String name, RecordType type) implements Comparable<RecordKey> {

  public RecordKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    name = DnsNames.canonical(name);
  }

  @Override
  public int compareTo(RecordKey o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : type.compareTo(o.type);
  }

  @Override
  public String toString() {
    return name + "/" + type;
  }
}
