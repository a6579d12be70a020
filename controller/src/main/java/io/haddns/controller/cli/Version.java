package io.haddns.controller.cli;

import io.haddns.controller.runtime.BuildVersion;
import picocli.CommandLine.IVersionProvider;

/** What {@code haddns --version} prints: the build's version ({@link BuildVersion}). */
public final class Version implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {"haddns " + BuildVersion.current()};
  }
}
