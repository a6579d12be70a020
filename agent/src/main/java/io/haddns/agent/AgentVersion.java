package io.haddns.agent;

import picocli.CommandLine.IVersionProvider;

/** The build's version, from the jar manifest's {@code Implementation-Version} (set by the POM). */
public final class AgentVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = AgentVersion.class.getPackage().getImplementationVersion();
    return new String[] {"haddns-agent " + (version != null ? version : "(not built as a jar)")};
  }
}
