package io.haddns.controller.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.haddns.controller.auth.Principal;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An authenticated admin API call as a handler sees it.
 *
 * @param params the route template's path parameters
 * @param query the query parameters (first value of each)
 * @param body the request body, at most the admin server's body limit
 * @param principal who calls (an anonymous viewer for reads when no credential is configured)
 * @param source the caller's address
 * @param audit where {@link #audit} writes
 * @param accept the request's {@code Accept} header, if any
 */
public record ApiRequest(
    HttpMethod method,
    String path,
    Map<String, String> params,
    Map<String, String> query,
    byte[] body,
    Optional<String> contentType,
    Principal principal,
    InetAddress source,
    OperatorAudit audit,
    Optional<String> accept) {
  private static final ObjectMapper JSON =
      new ObjectMapper(
              JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public ApiRequest {
    params = Map.copyOf(params);
    query = Map.copyOf(query);
  }

  /** Without an {@code Accept} header. */
  public ApiRequest(
      HttpMethod method,
      String path,
      Map<String, String> params,
      Map<String, String> query,
      byte[] body,
      Optional<String> contentType,
      Principal principal,
      InetAddress source,
      OperatorAudit audit) {
    this(
        method, path, params, query, body, contentType, principal, source, audit, Optional.empty());
  }

  /** Whether the caller's {@code Accept} header names {@code mediaType}. */
  public boolean accepts(String mediaType) {
    return accept
        .map(a -> a.toLowerCase(Locale.ROOT).contains(mediaType.toLowerCase(Locale.ROOT)))
        .orElse(false);
  }

  /**
   * Audits this call as a mutation: {@code type} names what was done ({@code line-override}),
   * {@code detail} to what ({@code line=home state=down}); the credential's name, role and the
   * source address are added. Never put a secret in {@code detail}.
   */
  public void audit(String type, String detail) {
    audit.mutation(this, type, detail);
  }

  /** A path parameter of the route's template. */
  public String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalArgumentException("route has no parameter " + name);
    }
    return v;
  }

  /**
   * The JSON body as {@code type} (a record): unknown fields, a field given twice, wrong types and
   * malformed JSON are answered 400 naming the field.
   */
  public <T> T json(Class<T> type) {
    if (body.length == 0) {
      throw new ApiException(400, "a JSON body is required");
    }
    try {
      return JSON.readValue(body, type);
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.badField(
          field(e), "unknown field; allowed: " + known(e.getKnownPropertyIds()));
    } catch (InvalidFormatException e) {
      throw ApiException.badField(field(e), "wrong type or format");
    } catch (MismatchedInputException e) {
      String f = field(e);
      throw f.isEmpty()
          ? new ApiException(400, "body must be a JSON object")
          : ApiException.badField(f, "wrong type");
    } catch (JsonParseException e) {
      if (e.getProcessor() instanceof JsonParser p
          && e.getOriginalMessage().startsWith("Duplicate field")) {
        String name;
        try {
          name = p.currentName();
        } catch (java.io.IOException unreadable) {
          name = "";
        }
        throw ApiException.badField(printable(name), "given more than once");
      }
      throw new ApiException(400, "malformed JSON at line " + e.getLocation().getLineNr());
    } catch (JsonProcessingException e) {
      throw new ApiException(400, "malformed JSON at line " + e.getLocation().getLineNr());
    } catch (java.io.IOException e) {
      throw new ApiException(400, "unreadable body");
    }
  }

  /**
   * The body's fields from JSON (string values) or {@code application/x-www-form-urlencoded},
   * whichever the content type says; any field not in {@code allowed} is answered 400.
   */
  public Map<String, String> fields(Set<String> allowed) {
    String type = contentType.orElse("").toLowerCase(Locale.ROOT);
    Map<String, String> out = new HashMap<>();
    if (type.startsWith("application/x-www-form-urlencoded")) {
      String text = new String(body, StandardCharsets.UTF_8);
      Map<String, List<String>> decoded;
      try {
        decoded = new QueryStringDecoder(text, false).parameters();
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "malformed form body");
      }
      decoded.forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
    } else {
      @SuppressWarnings("unchecked")
      Map<String, Object> parsed = json(Map.class);
      for (Map.Entry<String, Object> e : parsed.entrySet()) {
        if (!(e.getValue() instanceof String s)) {
          throw ApiException.badField(e.getKey(), "must be a string");
        }
        out.put(e.getKey(), s);
      }
    }
    for (String k : out.keySet()) {
      if (!allowed.contains(k)) {
        throw ApiException.badField(
            printable(k),
            "unknown field; allowed: " + known(allowed.stream().map(a -> (Object) a).toList()));
      }
    }
    return out;
  }

  private static String field(MismatchedInputException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .map(ApiRequest::printable)
        .collect(Collectors.joining("."));
  }

  private static String known(java.util.Collection<Object> names) {
    return names.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
  }

  /** At most 64 printable ASCII characters of client input. */
  static String printable(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 64 ? p.substring(0, 64) + "..." : p;
  }
}
