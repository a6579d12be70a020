package io.haddns.controller.admin;

/**
 * An admin API answer: an HTTP status and a body the handler serialises as JSON (a record, a map, a
 * list).
 */
public record ApiResponse(int status, Object body) {

  public static ApiResponse ok(Object body) {
    return new ApiResponse(200, body);
  }
}
