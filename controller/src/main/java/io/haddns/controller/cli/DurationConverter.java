package io.haddns.controller.cli;

import io.haddns.controller.config.DurationSyntax;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code 500ms}, {@code 6s}, {@code 2m}, {@code 1h} on the command line, as the
 * configuration does ({@link DurationSyntax}).
 */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return DurationSyntax.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("'" + value + "' is not a duration: " + e.getMessage());
    }
  }
}
