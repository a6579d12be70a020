package io.haddns.agent.detect;

import io.haddns.agent.report.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads metadata answers strictly: a single-value item is exactly one IP literal (surrounding
 * whitespace allowed); a list item ({@code ipv6s}, {@code public-ipv4s}) is one literal per line.
 * Anything else — an HTML error page, JSON, two addresses in a single-value item, a header block,
 * an empty or oversized body — is refused, so a proxy's or captive portal's page never becomes a
 * line's address.
 */
final class MetadataBodyParser {
  static final int MAX_BODY = 2048;
  static final int MAX_ADDRESSES = 16;

  private MetadataBodyParser() {}

  /**
   * @throws IllegalArgumentException naming why the body is not one address
   */
  static IpAddress single(String body) {
    String text = checked(body);
    if (text.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("body holds more than one token");
    }
    return IpAddress.parse(text);
  }

  /**
   * @throws IllegalArgumentException naming why the body is not a list of addresses
   */
  static List<IpAddress> list(String body) {
    String text = checked(body);
    List<IpAddress> out = new ArrayList<>();
    for (String line : text.split("\\R")) {
      String entry = line.strip();
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("list line holds more than one token");
      }
      out.add(IpAddress.parse(entry));
    }
    if (out.size() > MAX_ADDRESSES) {
      throw new IllegalArgumentException("more than " + MAX_ADDRESSES + " addresses");
    }
    return out;
  }

  private static String checked(String body) {
    if (body.length() > MAX_BODY) {
      throw new IllegalArgumentException("body longer than " + MAX_BODY + " characters");
    }
    String text = body.strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty body");
    }
    return text;
  }
}
