package io.haddns.controller.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code haddns ctl dig NAME [TYPE] --server HOST:PORT}: one DNS query and its answer, for a
 * machine without {@code dig} (the demo suggests it first).
 */
@Command(
    name = "dig",
    description =
        "Ask a DNS server (a node's embedded one, or any other) for NAME and print the answer, as"
            + " dig would; no dig needed.",
    mixinStandardHelpOptions = true)
final class CtlDigCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "The name to look up.")
  String name;

  @Parameters(
      index = "1",
      arity = "0..1",
      defaultValue = "A",
      paramLabel = "TYPE",
      description = "Record type (default: ${DEFAULT-VALUE}).")
  String type;

  @Option(
      names = "--server",
      defaultValue = "127.0.0.1:53",
      description = "HOST:PORT of the DNS server, [V6]:PORT for IPv6 (default: ${DEFAULT-VALUE}).")
  String server;

  @Option(names = "--tcp", description = "Ask over TCP instead of UDP.")
  boolean tcp;

  @Option(
      names = "--timeout",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int rrType = Type.value(type.toUpperCase(Locale.ROOT));
    if (rrType < 0) {
      err.println("haddns ctl dig: unknown record type: " + type);
      return 2;
    }
    InetSocketAddress address;
    Name qname;
    try {
      address = address(server);
      qname = Name.fromString(name, Name.root);
    } catch (IllegalArgumentException | TextParseException e) {
      err.println("haddns ctl dig: " + e.getMessage());
      return 2;
    }
    SimpleResolver resolver = new SimpleResolver(address);
    resolver.setTCP(tcp);
    resolver.setTimeout(timeout);
    long start = System.nanoTime();
    Message res;
    try {
      res = resolver.send(Message.newQuery(Record.newRecord(qname, rrType, DClass.IN)));
    } catch (SocketTimeoutException e) {
      err.println(
          "haddns ctl dig: no answer from "
              + server
              + " within "
              + timeout.toMillis()
              + " ms: is a DNS server listening there? (the demo prints its nodes' addresses)");
      return 1;
    } catch (PortUnreachableException e) {
      err.println(
          "haddns ctl dig: nothing listens at "
              + server
              + " (port unreachable): is the DNS server running? (the demo prints its nodes'"
              + " addresses)");
      return 1;
    } catch (IOException e) {
      err.println(
          "haddns ctl dig: cannot ask "
              + server
              + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      return 1;
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    boolean aa = res.getHeader().getFlag(Flags.AA);
    out.printf(
        ";; %s answered %s%s in %d ms%n",
        server, Rcode.string(res.getRcode()), aa ? " (authoritative)" : "", ms);
    List<Record> answer = res.getSection(Section.ANSWER);
    if (answer.isEmpty()) {
      out.printf(";; no %s record for %s%n", Type.string(rrType), qname);
    }
    answer.forEach(out::println);
    out.flush();
    return 0;
  }

  /** {@code host:port}, {@code [v6]:port}, or a host alone (port 53). */
  static InetSocketAddress address(String text) {
    String host = text;
    int port = 53;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("not HOST:PORT or [V6]:PORT: " + text);
      }
      host = text.substring(1, close);
      if (close + 1 < text.length()) {
        port = port(text.substring(close + 1), text);
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = port(text.substring(text.indexOf(':')), text);
    }
    return new InetSocketAddress(host, port);
  }

  private static int port(String colonPort, String text) {
    try {
      int port = Integer.parseInt(colonPort.substring(1));
      if (colonPort.charAt(0) == ':' && port > 0 && port < 65536) {
        return port;
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // reported below
    }
    throw new IllegalArgumentException("not HOST:PORT or [V6]:PORT: " + text);
  }
}
