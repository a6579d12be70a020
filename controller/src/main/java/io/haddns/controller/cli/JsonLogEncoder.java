package io.haddns.controller.cli;

import ch.qos.logback.classic.encoder.JsonEncoder;

/**
 * haddns' JSON log lines (HADDNS_LOG_FORMAT=json): Logback's own {@link JsonEncoder}, one object
 * per line with {@code timestamp} (Unix milliseconds), {@code level}, {@code threadName}, {@code
 * loggerName}, {@code context.properties.node} (the node id), {@code mdc} ({@code zone}, {@code
 * epoch}, … where the code sets them), {@code kvpList} (SLF4J key-values), {@code formattedMessage}
 * and {@code throwable}; without the message template and its raw arguments, which repeat the
 * formatted message. docs/operations.md, "Logs".
 */
public final class JsonLogEncoder extends JsonEncoder {

  public JsonLogEncoder() {
    setWithSequenceNumber(false);
    setWithNanoseconds(false);
    setWithMessage(false);
    setWithArguments(false);
    setWithFormattedMessage(true);
  }
}
