package io.haddns.agent.report;

/** Strict IP literal parsing: returns {@code null} for anything that is not a literal. */
final class IpLiteralParser {
  private IpLiteralParser() {}

  /** Four decimal octets 0–255, no leading zeros (they read as octal in some parsers). */
  static byte[] parseIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      int value = octet(parts[i]);
      if (value < 0) {
        return null;
      }
      out[i] = (byte) value;
    }
    return out;
  }

  private static int octet(String part) {
    if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= 255 ? value : -1;
  }

  /** RFC 4291 §2.2 text forms, no zone id. */
  static byte[] parseIpv6(String text) {
    if (text.length() < 2 || text.length() > 45) {
      return null;
    }
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    String head = gap >= 0 ? text.substring(0, gap) : text;
    String tail = gap >= 0 ? text.substring(gap + 2) : "";
    int[] headGroups = groups(head, gap < 0);
    int[] tailGroups = groups(tail, true);
    if (headGroups == null || tailGroups == null) {
      return null;
    }
    int total = headGroups.length + tailGroups.length;
    if (gap < 0 ? total != 8 : total > 7) {
      return null;
    }
    int[] all = new int[8];
    System.arraycopy(headGroups, 0, all, 0, headGroups.length);
    System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[2 * i] = (byte) (all[i] >> 8);
      out[2 * i + 1] = (byte) all[i];
    }
    return out;
  }

  /** Colon-separated 16-bit groups; a trailing dotted quad counts as two when allowed. */
  private static int[] groups(String part, boolean mayEndWithIpv4) {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] fields = part.split(":", -1);
    int[] out = new int[fields.length + 1];
    int n = 0;
    for (int i = 0; i < fields.length; i++) {
      String field = fields[i];
      if (i == fields.length - 1 && mayEndWithIpv4 && field.indexOf('.') >= 0) {
        byte[] v4 = parseIpv4(field);
        if (v4 == null) {
          return null;
        }
        out[n++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        out[n++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        continue;
      }
      int value = hexGroup(field);
      if (value < 0) {
        return null;
      }
      out[n++] = value;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static int hexGroup(String field) {
    if (field.isEmpty() || field.length() > 4) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < field.length(); i++) {
      int digit = Character.digit(field.charAt(i), 16);
      if (digit < 0 || field.charAt(i) > 'f') {
        return -1;
      }
      value = (value << 4) | digit;
    }
    return value;
  }
}
