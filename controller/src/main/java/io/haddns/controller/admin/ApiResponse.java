package io.haddns.controller.admin;

/**
 * An admin API answer: an HTTP status and a body the handler serialises as JSON (a record, a map, a
 * list); or, with a {@code contentType}, a body of bytes sent as they are.
 *
 * @param contentType null for JSON; else the media type of {@code body}, a {@code byte[]}
 */
public record ApiResponse(int status, Object body, String contentType) {
  public ApiResponse {
    if (contentType != null && !(body instanceof byte[])) {
      throw new IllegalArgumentException("a body with a content type must be bytes");
    }
  }

  /** A JSON answer. */
  public ApiResponse(int status, Object body) {
    this(status, body, null);
  }

  public static ApiResponse ok(Object body) {
    return new ApiResponse(200, body);
  }

  /** 200 with {@code body} sent as it is, as {@code contentType}. */
  public static ApiResponse bytes(byte[] body, String contentType) {
    return new ApiResponse(200, body, contentType);
  }
}
