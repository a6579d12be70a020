package io.haddns.controller.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The build's version, from {@code haddns-version.properties} filtered at build time. */
public final class Version implements IVersionProvider {

  public static String current() {
    try (InputStream in = Version.class.getResourceAsStream("/haddns-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"haddns " + current()};
  }
}
