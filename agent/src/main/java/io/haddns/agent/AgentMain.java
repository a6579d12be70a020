package io.haddns.agent;

import io.haddns.agent.config.AgentConfigLoader;
import io.haddns.agent.config.AgentSettings;
import io.haddns.agent.config.ConfigException;
import io.haddns.agent.config.DetectorFactory;
import io.haddns.agent.detect.Detection;
import io.haddns.agent.detect.IpDetector;
import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.CaTrust;
import io.haddns.agent.report.Ed25519Keys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code haddns-agent}: parses the command line; {@link AgentRuntime} wires a running agent. */
@Command(
    name = "haddns-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentVersion.class,
    description = "Detects each line's public address and reports it, signed, to haddns.",
    subcommands = {AgentMain.Detect.class, AgentMain.Keygen.class})
public final class AgentMain implements Callable<Integer> {
  @Option(names = "--config", description = "the agent's YAML file (runs the agent)")
  Path config;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (config == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--config FILE is required");
    }
    AgentSettings settings = load(config);
    if (settings == null) {
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
    AgentRuntime agent = AgentRuntime.start(settings, InstantSource.system());
    try {
      stopped.await();
    } finally {
      agent.close();
    }
    return 0;
  }

  static AgentSettings load(Path file) throws IOException {
    try {
      return new AgentConfigLoader().load(file);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return null;
    }
  }

  /** {@code haddns-agent detect --config FILE}: what every detector sees, nothing reported. */
  @Command(name = "detect", description = "Print what each detector sees per line; report nothing.")
  static final class Detect implements Callable<Integer> {
    @Option(names = "--config", required = true)
    Path config;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      AgentSettings settings = load(config);
      if (settings == null) {
        return 2;
      }
      PrintWriter out = spec.commandLine().getOut();
      DetectorFactory factory =
          new DetectorFactory(CaTrust.sslContext(java.util.Optional.empty()), new SecureRandom());
      for (LineDetectors line : AgentRuntime.lines(settings, factory)) {
        for (AddressFamily family : line.families()) {
          for (IpDetector detector : line.detectors()) {
            Detection d = detector.detect(family);
            String seen =
                switch (d) {
                  case Detection.Found f -> "found " + f.addresses() + " (" + f.source() + ")";
                  case Detection.Failed f -> "failed: " + f.reason();
                };
            out.printf("%s %s %s: %s%n", line.line(), family.wireName(), detector.name(), seen);
          }
        }
      }
      out.flush();
      return 0;
    }
  }

  /** {@code haddns-agent keygen --out DIR}: writes agent.key (0600) and agent.pub. */
  @Command(
      name = "keygen",
      description = "Write a new Ed25519 key pair: DIR/agent.key and DIR/agent.pub.")
  static final class Keygen implements Callable<Integer> {
    @Option(names = "--out", required = true)
    Path dir;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Path key = dir.resolve("agent.key");
      Path pub = dir.resolve("agent.pub");
      if (Files.exists(key)) {
        spec.commandLine().getErr().println(key + " exists; not overwriting an agent's identity");
        return 1;
      }
      Files.createDirectories(dir);
      KeyPair pair = Ed25519Keys.generate();
      Files.createFile(key);
      if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      }
      Files.writeString(key, Ed25519Keys.toPem(pair.getPrivate()));
      Files.writeString(pub, Ed25519Keys.toPem(pair.getPublic()));
      spec.commandLine()
          .getOut()
          .println("wrote " + key + " and " + pub + " (give the .pub to the controller)");
      return 0;
    }
  }
}
