package io.haddns.controller.provider.powerdns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.PermanentProviderException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Address;

/**
 * Maps haddns RRsets to the PowerDNS API's RRset objects and back.
 *
 * <p>Documented at https://doc.powerdns.com/authoritative/http-api/zone.html (RRSet, Record,
 * Comment): names are absolute with a trailing dot; with {@code changetype: REPLACE} the given
 * {@code records} replace all records of that name and type, and a given {@code comments} list
 * replaces all its comments; {@code DELETE} removes the records and comments. So every write
 * carries the full RRset and haddns' mark together, and a retried PATCH writes the same state.
 */
final class RrsetJson {
  /** The ownership mark, one comment on each RRset haddns writes. */
  static final String MARK = "managed-by=haddns";

  static final String MARK_ACCOUNT = "haddns";

  private final ObjectMapper json;
  private final String zone;

  RrsetJson(ObjectMapper json, String zone) {
    this.json = json;
    this.zone = zone;
  }

  /** The PATCH body for {@code changes}: one RRset object per change. */
  ObjectNode patchBody(List<Change> changes) {
    ObjectNode body = json.createObjectNode();
    ArrayNode rrsets = body.putArray("rrsets");
    for (Change c : changes) {
      ObjectNode rrset = rrsets.addObject();
      rrset.put("name", c.key().name() + ".");
      rrset.put("type", c.key().type().name());
      switch (c) {
        case Change.Create create -> replace(rrset, create.desired());
        case Change.Update update -> replace(rrset, update.desired());
        case Change.Delete delete -> rrset.put("changetype", "DELETE");
      }
    }
    return body;
  }

  private static void replace(ObjectNode rrset, RecordSet desired) {
    rrset.put("ttl", desired.ttl());
    rrset.put("changetype", "REPLACE");
    ArrayNode records = rrset.putArray("records");
    for (InetAddress a : desired.addresses()) {
      records.addObject().put("content", a.getHostAddress()).put("disabled", false);
    }
    rrset.putArray("comments").addObject().put("content", MARK).put("account", MARK_ACCOUNT);
  }

  /**
   * Reads the A and AAAA RRsets of a zone object ({@code GET /servers/{id}/zones/{zone}}).
   *
   * @throws PermanentProviderException when the answer is not a zone object of this shape
   */
  ZoneContent parseZone(JsonNode zoneObject) throws PermanentProviderException {
    JsonNode rrsets = zoneObject.path("rrsets");
    if (!rrsets.isArray()) {
      throw new PermanentProviderException(
          "zone " + zone + ": PowerDNS answered a zone object without an rrsets array");
    }
    List<RecordSet> sets = new ArrayList<>();
    Set<RecordKey> present = new HashSet<>();
    Set<RecordKey> owned = new HashSet<>();
    for (JsonNode rrset : rrsets) {
      String type = rrset.path("type").asText("");
      if (!type.equals("A") && !type.equals("AAAA")) {
        continue;
      }
      String name = rrset.path("name").asText("");
      if (name.isEmpty() || !rrset.path("ttl").canConvertToLong()) {
        throw new PermanentProviderException(
            "zone " + zone + ": PowerDNS answered an " + type + " RRset without name or ttl");
      }
      RecordKey key = new RecordKey(DnsNames.canonical(name), RecordType.valueOf(type));
      present.add(key);
      if (isMarked(rrset.path("comments"))) {
        owned.add(key);
      }
      List<InetAddress> addresses = new ArrayList<>();
      for (JsonNode record : rrset.path("records")) {
        if (!record.path("disabled").asBoolean(false)) {
          addresses.add(address(key, record.path("content").asText("")));
        }
      }
      if (!addresses.isEmpty()) {
        sets.add(new RecordSet(key, rrset.path("ttl").asLong(), addresses));
      }
    }
    return new ZoneContent(sets, present, owned);
  }

  private static boolean isMarked(JsonNode comments) {
    for (JsonNode c : comments) {
      if (MARK.equals(c.path("content").asText("").strip())) {
        return true;
      }
    }
    return false;
  }

  private InetAddress address(RecordKey key, String content) throws PermanentProviderException {
    int family = key.type() == RecordType.A ? Address.IPv4 : Address.IPv6;
    try {
      // Address parses literals only; it never resolves a name.
      return Address.getByAddress(content.strip(), family);
    } catch (UnknownHostException e) {
      throw new PermanentProviderException(
          "zone " + zone + ": PowerDNS holds " + key + " with content '" + content + "'", e);
    }
  }
}
