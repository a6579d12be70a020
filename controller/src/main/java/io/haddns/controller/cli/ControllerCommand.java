package io.haddns.controller.cli;

import ch.qos.logback.classic.Level;
import io.haddns.controller.admin.AdminServer;
import io.haddns.controller.config.ConfigException;
import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.runtime.BuildVersion;
import io.haddns.controller.runtime.NodeRuntime;
import io.haddns.controller.runtime.StartupException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code haddns controller}: runs one controller node until SIGTERM or Ctrl-C. */
@Command(
    name = "controller",
    description = "Run a controller node of a haddns cluster.",
    mixinStandardHelpOptions = true)
final class ControllerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ControllerCommand.class);

  @Option(names = "--config", required = true, description = "The YAML configuration file.")
  Path config;

  @Option(
      names = "--node-id",
      description = "This node's id (default: HADDNS_NODE_ID, node.id, HOSTNAME, host name).")
  String nodeId;

  @Option(names = "--http-host", description = "Admin HTTP bind address (default: node.http.host).")
  String httpHost;

  @Option(names = "--http-port", description = "Admin HTTP port (default: node.http.port, 8053).")
  Integer httpPort;

  @Option(names = "--dns-host", description = "Embedded DNS bind address (default: node.dns.host).")
  String dnsHost;

  @Option(names = "--dns-port", description = "Embedded DNS port (default: node.dns.port, 53).")
  Integer dnsPort;

  @Option(
      names = "--gateway-host",
      description = "Update gateway bind address (default: node.gateway.host, 0.0.0.0).")
  String gatewayHost;

  @Option(
      names = "--gateway-port",
      description = "Update gateway port (default: node.gateway.port, 8080).")
  Integer gatewayPort;

  @Option(
      names = "--dns-source-address",
      description =
          "Source address for RFC 2136 traffic to DNS servers (default: chosen by the OS).")
  String dnsSource;

  @Option(
      names = "--log-format",
      description = "Log lines as text or json (default: HADDNS_LOG_FORMAT, text).")
  String logFormat;

  @Option(
      names = "--log-level",
      description =
          "Least severe level logged: trace, debug, info, warn, error, off"
              + " (default: HADDNS_LOG_LEVEL, info).")
  String logLevel;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> env = new HashMap<>(System.getenv());
    try {
      setUpLogs(env);
    } catch (IllegalArgumentException e) {
      err.println("haddns: " + e.getMessage());
      return 2;
    }
    if (nodeId != null) {
      env.put("HADDNS_NODE_ID", nodeId);
    }
    HaddnsConfig cfg;
    try {
      cfg = new ConfigLoader(env).load(config);
    } catch (ConfigException e) {
      err.println("haddns: refusing to start, the configuration is invalid:");
      err.println(e.getMessage());
      return 2;
    }
    LogSetup.putContextProperty("node", cfg.node().id());
    NodeConfig n = cfg.node();
    try {
      cfg =
          cfg.withNode(
              new NodeConfig(
                  n.id(),
                  httpHost != null ? httpHost : n.httpHost(),
                  httpPort != null ? httpPort : n.httpPort(),
                  dnsHost != null ? dnsHost : n.dnsHost(),
                  dnsPort != null ? dnsPort : n.dnsPort(),
                  n.gateway()
                      .withAddress(
                          gatewayHost != null ? gatewayHost : n.gateway().host(),
                          gatewayPort != null ? gatewayPort : n.gateway().port()),
                  n.dnsAdvertise(),
                  n.httpLimits(),
                  n.dnsTcpLimits(),
                  n.descriptorReserve(),
                  n.httpAdvertise(),
                  n.transport(),
                  n.tcpProbes()));
    } catch (IllegalArgumentException e) {
      err.println("haddns: a port flag is out of range: " + e.getMessage());
      return 2;
    }
    Optional<InetAddress> source;
    try {
      source = dnsSource == null ? Optional.empty() : Optional.of(InetAddress.getByName(dnsSource));
    } catch (UnknownHostException e) {
      err.println("haddns: --dns-source-address is not an address: " + dnsSource);
      return 2;
    }

    NodeRuntime runtime;
    try {
      runtime = NodeRuntime.start(cfg, source, InstantSource.system(), BuildVersion.current());
    } catch (StartupException e) {
      err.println("haddns: cannot start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              log.info("node={} stopping (signal)", runtime.nodeId());
              runtime.close();
              stopped.countDown();
            },
            "haddns-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    AdminServer admin = runtime.admin();
    log.info("node={} running admin={}", runtime.nodeId(), admin.address());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Checks the log format and level; reloads the logging configuration when a flag sets one. */
  private void setUpLogs(Map<String, String> env) {
    String format = logFormat != null ? logFormat : env.get(LogSetup.FORMAT);
    String level = logLevel != null ? logLevel : env.get(LogSetup.LEVEL);
    LogSetup.Format f =
        format == null || format.isBlank()
            ? LogSetup.Format.TEXT
            : LogSetup.Format.of(format, logFormat != null ? "--log-format" : LogSetup.FORMAT);
    Optional<Level> l =
        level == null || level.isBlank()
            ? Optional.empty()
            : Optional.of(LogSetup.level(level, logLevel != null ? "--log-level" : LogSetup.LEVEL));
    if (logFormat != null || logLevel != null) {
      LogSetup.apply(f, l);
    }
  }
}
