package io.haddns.controller.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import io.haddns.controller.cli.JsonLogEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Captures every log event of this JVM while open, with the logger levels of the shipped {@code
 * logback.xml} (not the quieter {@code logback-test.xml}), so a test sees what an operator would
 * see. Closing restores the previous levels.
 */
public final class LogCapture implements AutoCloseable {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final ByteArrayOutputStream json = new ByteArrayOutputStream();
  private final OutputStreamAppender<ILoggingEvent> jsonAppender = new OutputStreamAppender<>();
  private final Map<String, Level> previous = new HashMap<>();

  private LogCapture() {}

  /** Starts capturing with the production logger levels. */
  public static LogCapture start() throws Exception {
    LogCapture c = new LogCapture();
    c.applyShippedLevels();
    c.appender.setContext(c.context);
    c.appender.start();
    c.context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(c.appender);
    JsonLogEncoder encoder = new JsonLogEncoder();
    encoder.setContext(c.context);
    encoder.start();
    c.jsonAppender.setContext(c.context);
    c.jsonAppender.setEncoder(encoder);
    c.jsonAppender.setOutputStream(c.json);
    c.jsonAppender.start();
    c.context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(c.jsonAppender);
    return c;
  }

  // The shipped logback.xml is the only one on the classpath under that name (tests use
  // logback-test.xml), so its <logger> levels are what a running node uses.
  private void applyShippedLevels() throws Exception {
    URL shipped = LogCapture.class.getResource("/logback.xml");
    if (shipped == null) {
      throw new IOException("logback.xml not on the classpath");
    }
    NodeList loggers;
    try (InputStream in = shipped.openStream()) {
      loggers =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(in)
              .getElementsByTagName("logger");
    }
    for (int i = 0; i < loggers.getLength(); i++) {
      Element e = (Element) loggers.item(i);
      Logger logger = context.getLogger(e.getAttribute("name"));
      previous.put(logger.getName(), logger.getLevel());
      logger.setLevel(Level.toLevel(e.getAttribute("level")));
    }
  }

  /** Every event so far. */
  public List<ILoggingEvent> events() {
    synchronized (appender.list) {
      return List.copyOf(appender.list);
    }
  }

  /** Events of one logger (a class's full name, or a prefix such as {@code org.apache}). */
  public List<ILoggingEvent> from(String loggerPrefix) {
    return events().stream().filter(e -> e.getLoggerName().startsWith(loggerPrefix)).toList();
  }

  /** Each event as one text: level, logger, message and stack trace, as an appender would write. */
  public List<String> lines() {
    return events().stream().map(LogCapture::render).toList();
  }

  /** Every event so far as the shipped JSON format writes it (HADDNS_LOG_FORMAT=json). */
  public List<String> jsonLines() {
    return json.toString(StandardCharsets.UTF_8).lines().toList();
  }

  public static String render(ILoggingEvent e) {
    String text = e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage();
    return e.getThrowableProxy() == null
        ? text
        : text + "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
  }

  @Override
  public void close() {
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(jsonAppender);
    jsonAppender.stop();
    previous.forEach((name, level) -> context.getLogger(name).setLevel(level));
  }
}
