package io.haddns.controller.admin;

import java.util.Optional;

/**
 * An admin API call answered with an error: {@code status} and the JSON body {@code {"error":
 * "...", "field": "..."}}. Handlers throw it (or complete their future with it); the message must
 * not contain secrets.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final Optional<String> field;

  public ApiException(int status, String error) {
    this(status, error, Optional.empty());
  }

  public ApiException(int status, String error, Optional<String> field) {
    super(error, null, false, false);
    this.status = status;
    this.field = field;
  }

  /** 400 naming the request field that is wrong. */
  public static ApiException badField(String field, String error) {
    return new ApiException(400, error, Optional.of(field));
  }

  public int status() {
    return status;
  }

  public Optional<String> field() {
    return field;
  }
}
