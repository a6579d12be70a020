package io.haddns.controller.config;

import io.haddns.controller.dns.DnsNames;
import java.util.Optional;
import java.util.regex.Pattern;

/** Syntax of DNS owner names and host names in the configuration (RFC 1035 §2.3.4, RFC 1123). */
final class DnsNameSyntax {
  // Owner names may hold underscores (_acme-challenge, _haddns-fence); hosts may not.
  private static final Pattern OWNER_LABEL =
      Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
  private static final Pattern HOST_LABEL =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  private DnsNameSyntax() {}

  /**
   * Why {@code name} is not a valid owner name, or empty when it is. A leading {@code *} label
   * (wildcard) is allowed when {@code wildcardAllowed}.
   */
  static Optional<String> ownerNameProblem(String name, boolean wildcardAllowed) {
    String canonical = DnsNames.canonical(name);
    if (canonical.isEmpty()) {
      return Optional.of("must be a DNS name such as example.com");
    }
    if (!name.equals(name.trim())) {
      return Optional.of("must not start or end with spaces");
    }
    if (canonical.length() > 253) {
      return Optional.of("is longer than 253 characters");
    }
    String[] labels = canonical.split("\\.", -1);
    for (int i = 0; i < labels.length; i++) {
      String label = labels[i];
      if (label.isEmpty()) {
        return Optional.of("has an empty label (two dots in a row or a leading dot)");
      }
      if (label.equals("*") && i == 0 && wildcardAllowed && labels.length > 1) {
        continue;
      }
      if (label.length() > 63) {
        return Optional.of("has a label longer than 63 characters: " + label);
      }
      if (!OWNER_LABEL.matcher(label).matches()) {
        return Optional.of(
            "label '"
                + label
                + "' may only hold letters, digits, '-' and '_', and must not start or end with"
                + " '-'");
      }
    }
    return Optional.empty();
  }

  /** True for a host name such as {@code zk-0.zk.svc} (not an IP literal). */
  static boolean isHostName(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (h.isEmpty() || h.length() > 253) {
      return false;
    }
    boolean allNumeric = true;
    for (String label : h.split("\\.", -1)) {
      if (!HOST_LABEL.matcher(label).matches()) {
        return false;
      }
      allNumeric &= label.chars().allMatch(Character::isDigit);
    }
    // 1.2.3.999 is a broken address, not a name.
    return !allNumeric;
  }
}
