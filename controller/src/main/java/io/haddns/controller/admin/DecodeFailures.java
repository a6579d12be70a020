package io.haddns.controller.admin;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;

/** Plain words for a request the HTTP decoder rejected, and paths made safe to echo. */
final class DecodeFailures {
  private static final int MAX_ECHO = 256;

  private DecodeFailures() {}

  /** What was wrong with a request, in a few fixed words: never the request's own bytes. */
  static String describe(Throwable cause) {
    return switch (cause) {
      case TooLongHttpLineException e -> "request line too long";
      case TooLongHttpHeaderException e -> "header too large";
      case TooLongFrameException e -> "request too large";
      case null, default -> "malformed request";
    };
  }

  /**
   * {@code path} with every byte outside RFC 3986's unreserved characters, sub-delims, {@code :},
   * {@code @} and {@code /} percent-encoded, cut at 256 characters: safe to echo in a body or log.
   */
  static String printable(String path) {
    StringBuilder out = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      if (out.length() >= MAX_ECHO) {
        return out.append("...").toString();
      }
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && "<>\"%{}|\\^`[]#?".indexOf(c) < 0) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }
}
