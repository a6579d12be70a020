package io.haddns.agent.detect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one small HTTP/1.1 response (RFC 9112) and returns the body of a 200: Content-Length,
 * chunked or read-until-close framing, at most {@code limit} bytes in all.
 */
final class HttpResponseReader {
  private final int limit;

  HttpResponseReader(int limit) {
    this.limit = limit;
  }

  /** A response: status, header fields (names lower-cased, in order) and the decoded body. */
  record Response(int status, Map<String, List<String>> headers, String body) {
    Response {
      headers = Map.copyOf(headers);
    }

    /** The values of header {@code name} (any case). */
    List<String> header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
  }

  /** The body of a 200 response; any other status is an {@link IOException}. */
  String readBody(InputStream in) throws IOException {
    Response r = read(in);
    if (r.status() != 200) {
      throw new IOException("HTTP status " + r.status());
    }
    return r.body();
  }

  /** Reads a whole response of any status (a body of at most {@code limit} bytes in all). */
  Response read(InputStream in) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    byte[] buf = new byte[2048];
    int headerEnd = -1;
    long contentLength = -1;
    boolean chunked = false;
    int status = -1;
    Map<String, List<String>> headers = new LinkedHashMap<>();
    while (true) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      raw.write(buf, 0, n);
      if (raw.size() > limit) {
        throw new IOException("response longer than " + limit + " bytes");
      }
      byte[] all = raw.toByteArray();
      if (headerEnd < 0) {
        headerEnd = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headerEnd < 0) {
          continue;
        }
        String head = new String(all, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        status = status(lines[0]);
        for (int i = 1; i < lines.length; i++) {
          int colon = lines[i].indexOf(':');
          if (colon <= 0) {
            throw new IOException("malformed HTTP header line");
          }
          String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
          String value = lines[i].substring(colon + 1).trim();
          headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
          if (name.equals("content-length")) {
            try {
              contentLength = Long.parseLong(value);
            } catch (NumberFormatException e) {
              throw new IOException("bad Content-Length", e);
            }
          } else if (name.equals("transfer-encoding")
              && value.toLowerCase(Locale.ROOT).contains("chunked")) {
            chunked = true;
          }
        }
      }
      if (!chunked && contentLength >= 0 && all.length - headerEnd - 4 >= contentLength) {
        break;
      }
    }
    if (headerEnd < 0) {
      throw new IOException("no complete HTTP response header");
    }
    byte[] all = raw.toByteArray();
    byte[] body = java.util.Arrays.copyOfRange(all, headerEnd + 4, all.length);
    if (chunked) {
      body = dechunk(body);
    } else if (contentLength >= 0) {
      if (body.length < contentLength) {
        throw new IOException("body shorter than its Content-Length");
      }
      body = java.util.Arrays.copyOf(body, (int) contentLength);
    }
    Map<String, List<String>> frozen = new LinkedHashMap<>();
    headers.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return new Response(status, frozen, new String(body, StandardCharsets.UTF_8));
  }

  private static int status(String statusLine) throws IOException {
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x status line");
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("bad HTTP status code", e);
    }
  }

  private static byte[] dechunk(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (true) {
      int eol = indexOf(body, pos, "\r\n".getBytes(StandardCharsets.US_ASCII));
      if (eol < 0) {
        throw new IOException("truncated chunked body");
      }
      String sizeText = new String(body, pos, eol - pos, StandardCharsets.US_ASCII);
      int semicolon = sizeText.indexOf(';');
      int size;
      try {
        size =
            Integer.parseInt(
                (semicolon >= 0 ? sizeText.substring(0, semicolon) : sizeText).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size", e);
      }
      pos = eol + 2;
      if (size == 0) {
        return out.toByteArray();
      }
      if (size < 0 || pos + size > body.length) {
        throw new IOException("truncated chunked body");
      }
      out.write(body, pos, size);
      pos += size + 2;
    }
  }

  private static int indexOf(byte[] data, byte[] needle) {
    return indexOf(data, 0, needle);
  }

  private static int indexOf(byte[] data, int from, byte[] needle) {
    outer:
    for (int i = from; i <= data.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
