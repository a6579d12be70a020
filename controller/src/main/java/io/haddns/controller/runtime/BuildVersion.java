package io.haddns.controller.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The build's version and source revision, from {@code haddns-version.properties} filtered at build
 * time (the revision is the abbreviated git commit; "unknown" when built outside a checkout).
 */
public final class BuildVersion {
  private BuildVersion() {}

  /** The project version the build was made as, or "unknown". */
  public static String current() {
    return property("version");
  }

  /** The abbreviated git commit the build was made from, or "unknown". */
  public static String revision() {
    return property("revision");
  }

  private static String property(String key) {
    try (InputStream in = BuildVersion.class.getResourceAsStream("/haddns-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return known(p.getProperty(key));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A value Maven left unfiltered ({@code ${...}}, no git checkout) or blank is "unknown". */
  static String known(String value) {
    return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value;
  }
}
