package io.haddns.controller.gateway;

import io.netty.handler.codec.http.QueryStringDecoder;

/** The path of a request URI, for routing and audit, whatever the client sent. */
final class RequestPath {
  private RequestPath() {}

  /**
   * The decoded path of {@code uri}, or, when it does not decode (a malformed {@code %}-escape such
   * as {@code /%zz}), its raw path: never the query, which may carry credentials. Never throws.
   */
  static String of(String uri) {
    try {
      return new QueryStringDecoder(uri).path();
    } catch (IllegalArgumentException e) {
      int query = uri.indexOf('?');
      return query < 0 ? uri : uri.substring(0, query);
    }
  }
}
