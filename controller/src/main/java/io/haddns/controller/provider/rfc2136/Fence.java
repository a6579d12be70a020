package io.haddns.controller.provider.rfc2136;

import io.haddns.controller.provider.PermanentProviderException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The zone's fence record {@code _haddns-fence.<zone> TXT "epoch=N"} (docs/architecture.md,
 * "Fencing"): whoever's epoch it holds may write the zone. It is never reported as a managed
 * record.
 */
final class Fence {
  static final String LABEL = "_haddns-fence";
  private static final long TTL = 60;
  private static final Pattern VALUE = Pattern.compile("epoch=(\\d{1,18})");

  private final String zone;
  private final Name name;

  /**
   * @throws IllegalArgumentException when the zone name leaves no room for the fence label
   */
  Fence(String zone, Name zoneName) {
    this.zone = zone;
    try {
      this.name = Name.concatenate(Name.fromConstantString(LABEL), zoneName);
    } catch (NameTooLongException e) {
      throw new IllegalArgumentException(
          "zone " + zone + ": name too long to hold the fence record " + LABEL, e);
    }
  }

  Name name() {
    return name;
  }

  /** The record to add when claiming for {@code epoch}. */
  TXTRecord record(long epoch) {
    return new TXTRecord(name, DClass.IN, TTL, "epoch=" + epoch);
  }

  /**
   * The "RRset exists (value dependent)" prerequisite for {@code epoch}: CLASS IN, TTL 0, the exact
   * RDATA (RFC 2136 §2.4.2).
   */
  TXTRecord prerequisite(long epoch) {
    return new TXTRecord(name, DClass.IN, 0, "epoch=" + epoch);
  }

  boolean isFence(Name owner) {
    return owner.equals(name);
  }

  /**
   * Reads the epoch from the answer to a TXT query for the fence name.
   *
   * @throws PermanentProviderException if the fence holds anything but one {@code "epoch=N"}: the
   *     compare-and-set cannot be expressed safely, so an operator must repair it
   */
  Optional<Long> parse(List<Record> answers) throws PermanentProviderException {
    List<TXTRecord> txt =
        answers.stream()
            .filter(r -> r.getType() == Type.TXT && isFence(r.getName()))
            .map(TXTRecord.class::cast)
            .toList();
    if (txt.isEmpty()) {
      return Optional.empty();
    }
    if (txt.size() == 1 && txt.get(0).getStrings().size() == 1) {
      Matcher m = VALUE.matcher(txt.get(0).getStrings().get(0));
      if (m.matches()) {
        return Optional.of(Long.parseLong(m.group(1)));
      }
    }
    throw new PermanentProviderException(
        "zone "
            + zone
            + ": fence record "
            + name
            + " holds "
            + txt.stream().map(TXTRecord::rdataToString).toList()
            + " instead of one \"epoch=N\"; delete or repair it");
  }
}
