package io.haddns.controller.demo;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Where the demo's node logs go: by default into a file, so the console shows the narration only;
 * with {@code --verbose} the demo does not use this class and they stay on the console as {@code
 * logback.xml} configures. Lifecycle: {@link #toFile(Path)} before the first node starts, {@link
 * #close()} once everything has stopped.
 */
public final class DemoLog implements AutoCloseable {
  private static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";

  private final Logger root;
  private final FileAppender<ILoggingEvent> file;

  private DemoLog(Logger root, FileAppender<ILoggingEvent> file) {
    this.root = root;
    this.file = file;
  }

  /** Sends every log event of this process to {@code file} instead of the console. */
  public static DemoLog toFile(Path file) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("demo-file");
    appender.setFile(file.toString());
    appender.setEncoder(encoder);
    appender.start();
    root.addAppender(appender);
    List<Appender<ILoggingEvent>> console = new ArrayList<>();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> a = it.next();
      if (a != appender) {
        console.add(a);
      }
    }
    console.forEach(root::detachAppender);
    return new DemoLog(root, appender);
  }

  /**
   * Closes the file, so its directory can be removed. Later events (a thread still stopping) are
   * dropped rather than printed between the narration's last lines.
   */
  @Override
  public void close() {
    root.detachAppender(file);
    file.stop();
  }
}
