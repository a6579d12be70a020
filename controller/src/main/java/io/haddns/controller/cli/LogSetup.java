package io.haddns.controller.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The log format and level of a node: {@code --log-format}/{@code HADDNS_LOG_FORMAT} and {@code
 * --log-level}/{@code HADDNS_LOG_LEVEL} (a flag wins over the variable). Logback reads the
 * variables itself when it starts (logback.xml); flags reload that configuration with them set.
 */
final class LogSetup {
  static final String FORMAT = "HADDNS_LOG_FORMAT";
  static final String LEVEL = "HADDNS_LOG_LEVEL";

  /** One line per event: key=value text, or a JSON object ({@link JsonLogEncoder}). */
  enum Format {
    TEXT,
    JSON;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The format named {@code value} (any case); says which exist when there is none. */
    static Format of(String value, String what) {
      for (Format f : values()) {
        if (f.label().equalsIgnoreCase(value.strip())) {
          return f;
        }
      }
      throw new IllegalArgumentException(what + " must be text or json, not '" + value + "'");
    }
  }

  private LogSetup() {}

  /** The level named {@code value} (trace, debug, info, warn, error, off; any case). */
  static Level level(String value, String what) {
    Level l = Level.toLevel(value.strip(), null);
    if (l == null || l.toInt() == Level.ALL_INT) {
      throw new IllegalArgumentException(
          what + " must be one of trace, debug, info, warn, error, off, not '" + value + "'");
    }
    return l;
  }

  /** Reloads logback.xml with this format and, if given, this root level. */
  static void apply(Format format, Optional<Level> level) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    URL xml = LogSetup.class.getResource("/logback.xml");
    ctx.reset();
    ctx.putProperty(FORMAT, format.label());
    level.ifPresent(l -> ctx.putProperty(LEVEL, l.toString()));
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(ctx);
    try {
      configurator.doConfigure(xml);
    } catch (JoranException e) {
      throw new IllegalStateException("logback.xml: " + e.getMessage(), e);
    }
  }

  /** Adds {@code key} to every JSON line's {@code context.properties}, e.g. the node id. */
  static void putContextProperty(String key, String value) {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).putProperty(key, value);
  }
}
