package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs an operator's command (e.g. a router query) and takes its standard output as the address:
 * exit status 0 and exactly one IP literal of the wanted family, surrounding whitespace allowed.
 * The command gets the family as its last argument ({@code ipv4} / {@code ipv6}) and is killed
 * after {@code timeout}.
 */
public final class CommandDetector implements IpDetector {
  private static final int MAX_OUTPUT = 4096;
  private final List<String> command;
  private final Duration timeout;
  private final PublicAddressFilter filter;

  public CommandDetector(List<String> command, Duration timeout, PublicAddressFilter filter) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
    this.command = List.copyOf(command);
    this.timeout = timeout;
    this.filter = filter;
  }

  @Override
  public String name() {
    return "command";
  }

  @Override
  public Detection detect(AddressFamily family) {
    List<String> argv =
        java.util.stream.Stream.concat(
                command.stream(), java.util.stream.Stream.of(family.wireName()))
            .toList();
    Process process;
    try {
      process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return new Detection.Failed(
          "command " + command.get(0) + " did not start: " + e.getMessage());
    }
    try (InputStream out = process.getInputStream()) {
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new Detection.Failed("command " + command.get(0) + " timed out after " + timeout);
      }
      byte[] bytes = out.readNBytes(MAX_OUTPUT + 1);
      if (process.exitValue() != 0) {
        return new Detection.Failed("command " + command.get(0) + " exited " + process.exitValue());
      }
      if (bytes.length > MAX_OUTPUT) {
        return new Detection.Failed("command output longer than " + MAX_OUTPUT + " bytes");
      }
      return fromOutput(new String(bytes, StandardCharsets.UTF_8), family);
    } catch (IOException e) {
      return new Detection.Failed("command output unreadable: " + e.getMessage());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Detection.Failed("interrupted");
    }
  }

  Detection fromOutput(String output, AddressFamily family) {
    IpAddress address;
    try {
      address = IpAddress.parse(output.strip());
    } catch (IllegalArgumentException e) {
      return new Detection.Failed("command output is not one address: " + e.getMessage());
    }
    if (address.family() != family) {
      return new Detection.Failed("command gave " + address + ", not " + family.wireName());
    }
    Optional<String> rejection = filter.rejection(address);
    if (rejection.isPresent()) {
      return new Detection.Failed("command gave " + address + ", which is " + rejection.get());
    }
    return new Detection.Found(List.of(address), name() + " " + command.get(0));
  }
}
