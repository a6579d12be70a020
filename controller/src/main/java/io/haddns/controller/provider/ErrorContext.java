package io.haddns.controller.provider;

import java.util.List;

/**
 * Adds to a provider error what the failed call was about (the records it carried, how far the
 * apply got), so that an operator reads provider, zone and record in one message. The class of the
 * error and its retry hint are kept.
 */
public final class ErrorContext {
  private static final int MAX_NAMED = 5;

  private ErrorContext() {}

  /** {@code e} with {@code suffix} appended to its message. */
  public static ProviderException append(ProviderException e, String suffix) {
    String message = e.getMessage() + suffix;
    return switch (e) {
      case TransientProviderException t ->
          new TransientProviderException(message, e, t.retryAfter());
      case PermanentProviderException p -> new PermanentProviderException(message, e);
      case FencedException f -> new FencedException(message);
    };
  }

  /**
   * {@code "record a.example.com/A"} or {@code "records a.example.com/A, b.example.com/A and 3
   * more"}: the first few of {@code records}, in order, without repeats.
   */
  public static String records(List<?> records) {
    List<String> distinct = records.stream().map(String::valueOf).distinct().toList();
    if (distinct.size() == 1) {
      return "record " + distinct.get(0);
    }
    String named = String.join(", ", distinct.subList(0, Math.min(MAX_NAMED, distinct.size())));
    return "records "
        + named
        + (distinct.size() > MAX_NAMED ? " and " + (distinct.size() - MAX_NAMED) + " more" : "");
  }
}
