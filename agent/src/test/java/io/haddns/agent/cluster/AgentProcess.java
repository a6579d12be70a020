package io.haddns.agent.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.agent.report.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The real agent ({@code java -jar haddns-agent.jar --config FILE}) with one line whose {@code
 * command} detector prints the content of an address file the test rewrites. What it had
 * acknowledged is read back from its own log ({@code AgentLoop}'s "reported … via=…" line, written
 * only after a 200) and from its state file.
 */
final class AgentProcess implements AutoCloseable {
  /**
   * One acknowledged report, as the agent logged it; {@code changed} when it changed the line's
   * addresses (else a heartbeat).
   */
  record Ack(
      long sequence, List<String> addresses, String endpoint, Instant loggedAt, boolean changed) {
    /** Whether the node behind base URL {@code gateway} acknowledged it. */
    boolean via(String gateway) {
      return endpoint.startsWith(gateway + "/");
    }
  }

  private static final Pattern ACK =
      Pattern.compile(
          "^(\\S+ \\S+) INFO +AgentLoop - line="
              + ControllerCluster.LINE
              + " family=ipv4 reported addresses=\\[([^]]*)] sequence=(\\d+) via=(\\S+)"
              + " \\((changed|heartbeat)\\)$",
          Pattern.MULTILINE);
  private static final DateTimeFormatter LOG_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChildProcess process;
  private final Path stateFile;
  private final Path addressFile;

  private AgentProcess(ChildProcess process, Path stateFile, Path addressFile) {
    this.process = process;
    this.stateFile = stateFile;
    this.addressFile = addressFile;
  }

  /** Writes a new key pair under {@code dir}; returns the public key file for the controllers. */
  static Path writeKeys(Path dir) throws IOException {
    KeyPair pair = Ed25519Keys.generate();
    Files.writeString(dir.resolve("agent.key"), Ed25519Keys.toPem(pair.getPrivate()));
    Path pub = dir.resolve("agent.pub");
    Files.writeString(pub, Ed25519Keys.toPem(pair.getPublic()));
    return pub;
  }

  /**
   * Starts the agent with {@code firstAddress} in its address file, reporting to {@code
   * controllers} in that order (the first one is where it starts), trusting only {@code ca}.
   */
  static AgentProcess start(Path jar, Path dir, List<String> controllers, Path ca, String first)
      throws IOException {
    Path addressFile = dir.resolve("wan-address");
    Path stateFile = dir.resolve("agent-state.json");
    Path config = dir.resolve("agent.yaml");
    Files.writeString(
        config,
        """
        id: %s
        privateKeyFile: %s
        stateFile: %s
        controllers: [%s]
        caFile: %s
        timeout: 5s
        interval: 50ms
        heartbeat: 10m
        lines:
          - name: %s
            families: [ipv4]
            allowPrivate: true
            detectors:
              - command: { run: [/bin/sh, -c, 'cat "$0"', %s], timeout: 2s }
        """
            .formatted(
                ControllerCluster.AGENT,
                dir.resolve("agent.key"),
                stateFile,
                String.join(", ", controllers),
                ca,
                ControllerCluster.LINE,
                addressFile),
        StandardCharsets.UTF_8);
    write(addressFile, first);
    return new AgentProcess(
        ChildProcess.start("agent", jar, dir, List.of("--config", config.toString())),
        stateFile,
        addressFile);
  }

  /** What the line's detector sees from its next round on (replaced atomically). */
  void setAddress(String address) throws IOException {
    write(addressFile, address);
  }

  // A partial file would only fail one detection, but the test wants every round to see a value.
  private static void write(Path file, String address) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, address + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Every acknowledged report so far, in the order the agent logged them. */
  List<Ack> acks() {
    Matcher m = ACK.matcher(process.log());
    List<Ack> out = new ArrayList<>();
    while (m.find()) {
      out.add(
          new Ack(
              Long.parseLong(m.group(3)),
              Arrays.stream(m.group(2).split(",")).map(String::strip).toList(),
              m.group(4),
              LocalDateTime.parse(m.group(1), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant(),
              m.group(5).equals("changed")));
    }
    return out;
  }

  /** The last acknowledged report, or null before the first. */
  Ack lastAck() {
    List<Ack> all = acks();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /** Log lines at ERROR: refusals (4xx) and failed rounds. */
  List<String> errors() {
    return process.log().lines().filter(l -> l.contains(" ERROR ")).collect(Collectors.toList());
  }

  /** The agent's persisted state: {@code sequence} and {@code reported.<line>/ipv4}. */
  JsonNode state() throws IOException {
    return JSON.readTree(stateFile.toFile());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String logTail(int lines) {
    return process.logTail(lines);
  }

  @Override
  public void close() {
    process.close();
  }
}
