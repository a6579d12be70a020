package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Chooses the IPv6 address that stands for a line among an interface's addresses: a stable one,
 * never a temporary (privacy, RFC 8981) address that rotates daily, nor a deprecated one that is
 * going away.
 *
 * <p>On Linux the kernel's flags in {@code /proc/net/if_inet6} decide: temporary, deprecated,
 * tentative and DAD-failed addresses are dropped; a permanent (statically configured) address ranks
 * first. Elsewhere (Windows, macOS, or no {@code /proc}) the flags cannot be read through Java, so
 * nothing can be dropped and a heuristic ranks: an EUI-64 interface identifier (RFC 4291 appendix
 * A, derived from the MAC, never a privacy address) first. Ties are broken by the lowest address so
 * the choice does not flip between rounds. Thread-safe; reads the file on each call.
 */
final class Ipv6AddressSelector {
  // include/uapi/linux/if_addr.h; /proc/net/if_inet6 shows the low 8 bits of ifa_flags.
  static final int IFA_F_TEMPORARY = 0x01;
  static final int IFA_F_DADFAILED = 0x08;
  static final int IFA_F_DEPRECATED = 0x20;
  static final int IFA_F_TENTATIVE = 0x40;
  static final int IFA_F_PERMANENT = 0x80;
  static final int EXCLUDED_FLAGS =
      IFA_F_TEMPORARY | IFA_F_DADFAILED | IFA_F_DEPRECATED | IFA_F_TENTATIVE;

  private final Optional<Path> ifInet6;

  /**
   * @param ifInet6 Linux's {@code /proc/net/if_inet6}; empty or unreadable means "no flags"
   */
  Ipv6AddressSelector(Optional<Path> ifInet6) {
    this.ifInet6 = ifInet6;
  }

  /** The selector of this host: {@code /proc/net/if_inet6} when it exists. */
  static Ipv6AddressSelector system() {
    return new Ipv6AddressSelector(Optional.of(Path.of("/proc/net/if_inet6")));
  }

  /**
   * The IPv6 {@code candidates} of {@code interfaceName} that {@code scope} accepts and whose flags
   * (when known) mark them usable, best first; IPv4 candidates are ignored.
   */
  List<IpAddress> rank(
      String interfaceName, List<IpAddress> candidates, Predicate<IpAddress> scope) {
    Optional<Map<IpAddress, Integer>> flags = flags(interfaceName);
    Map<IpAddress, Integer> known = flags.orElse(Map.of());
    return candidates.stream()
        .filter(a -> a.family() == AddressFamily.IPV6)
        .filter(scope)
        .filter(a -> (known.getOrDefault(a, 0) & EXCLUDED_FLAGS) == 0)
        .distinct()
        .sorted(
            Comparator.comparing((IpAddress a) -> (known.getOrDefault(a, 0) & IFA_F_PERMANENT) == 0)
                .thenComparing(a -> !isEui64(a))
                .thenComparing(Ipv6AddressSelector::isLinkLocal)
                .thenComparing(Comparator.naturalOrder()))
        .toList();
  }

  /** Address → flags of {@code interfaceName}'s IPv6 addresses; empty if the file is unreadable. */
  Optional<Map<IpAddress, Integer>> flags(String interfaceName) {
    if (ifInet6.isEmpty()) {
      return Optional.empty();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(ifInet6.get());
    } catch (IOException e) {
      return Optional.empty();
    }
    Map<IpAddress, Integer> out = new HashMap<>();
    for (String line : lines) {
      // "<32 hex address> <ifindex> <prefixlen> <scope> <flags> <name>", all hex but the name.
      String[] f = line.trim().split("\\s+");
      if (f.length != 6 || f[0].length() != 32 || !f[5].equals(interfaceName)) {
        continue;
      }
      try {
        out.put(IpAddress.ofBytes(HexFormat.of().parseHex(f[0])), Integer.parseInt(f[4], 16));
      } catch (IllegalArgumentException e) {
        continue;
      }
    }
    return Optional.of(out);
  }

  /**
   * A modified EUI-64 interface identifier {@code xxxx:xxff:fexx:xxxx}: derived from a MAC
   * (globally or locally administered, as VMs' are); a random privacy identifier has this shape by
   * chance once in 65,536.
   */
  static boolean isEui64(IpAddress a) {
    byte[] b = a.bytes();
    return b.length == 16 && (b[11] & 0xff) == 0xff && (b[12] & 0xff) == 0xfe;
  }

  static boolean isLinkLocal(IpAddress a) {
    byte[] b = a.bytes();
    return (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80;
  }

  /** Global unicast 2000::/3 (RFC 4291 §2.4): not ULA, link-local, loopback or multicast. */
  static boolean isGlobalUnicast(IpAddress a) {
    byte[] b = a.bytes();
    return b.length == 16 && (b[0] & 0xe0) == 0x20;
  }
}
