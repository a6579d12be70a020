package io.haddns.controller.provider.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordType;
import java.util.Objects;
import java.util.Optional;

/**
 * One DNS record object of the Cloudflare API (one address: an RRset is the group of records with
 * the same name and type).
 *
 * @param name the full owner name, canonical
 * @param comment the record's comment, where haddns keeps its ownership mark
 */
record CloudflareRecord(
    String id,
    String name,
    RecordType type,
    String content,
    long ttl,
    boolean proxied,
    Optional<String> comment) {

  /** The text haddns writes in the comment of every record it manages. */
  static final String OWNER_MARK = "managed-by=haddns";

  /** The TTL Cloudflare reports for "automatic", the only TTL of a proxied record. */
  static final long AUTOMATIC_TTL = 1;

  CloudflareRecord {
    Objects.requireNonNull(id, "id");
    name = DnsNames.canonical(name);
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(comment, "comment");
  }

  RecordKey key() {
    return new RecordKey(name, type);
  }

  boolean owned() {
    return comment.map(c -> c.contains(OWNER_MARK)).orElse(false);
  }

  /** The A or AAAA record {@code node} describes; empty for other types. */
  static Optional<CloudflareRecord> fromJson(JsonNode node) {
    String type = node.path("type").asText("");
    if (!type.equals("A") && !type.equals("AAAA")) {
      return Optional.empty();
    }
    JsonNode comment = node.path("comment");
    return Optional.of(
        new CloudflareRecord(
            node.path("id").asText(),
            node.path("name").asText(),
            RecordType.valueOf(type),
            node.path("content").asText(),
            node.path("ttl").asLong(1),
            node.path("proxied").asBoolean(false),
            comment.isTextual() ? Optional.of(comment.asText()) : Optional.empty()));
  }

  @Override
  public String toString() {
    return name + "/" + type + " " + content + " (id " + id + ")";
  }
}
