package io.haddns.controller.bench;

import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.testing.DnsTestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The anchor of the mass re-point benchmark: one {@code nsupdate -v} process (TCP) sending the same
 * RRset replacements as haddns, TSIG-signed with the server's key from a key file, {@code batch}
 * RRsets per UPDATE, each UPDATE carrying the same fence prerequisite haddns sends.
 */
final class NsupdateScript {
  private final Path nsupdate;
  private final Path dir;
  private final DnsTestServer dns;
  private int scripts;

  NsupdateScript(Path nsupdate, Path dir, DnsTestServer dns) {
    this.nsupdate = nsupdate;
    this.dir = dir;
    this.dns = dns;
  }

  /** Writes the script; the run is timed separately so that writing it is not counted. */
  Path write(List<RecordSet> desired, int batch, long epoch) throws IOException {
    StringBuilder s = new StringBuilder();
    s.append("server 127.0.0.1 ").append(dns.port()).append('\n');
    s.append("zone ").append(dns.zone()).append(".\n");
    for (int from = 0; from < desired.size(); from += batch) {
      s.append("prereq yxrrset _haddns-fence.")
          .append(dns.zone())
          .append(". TXT \"epoch=")
          .append(epoch)
          .append("\"\n");
      for (RecordSet rs : desired.subList(from, Math.min(desired.size(), from + batch))) {
        String owner = rs.key().name() + ".";
        s.append("update delete ").append(owner).append(" A\n");
        for (InetAddress a : rs.addresses()) {
          s.append("update add ")
              .append(owner)
              .append(' ')
              .append(rs.ttl())
              .append(" A ")
              .append(a.getHostAddress())
              .append('\n');
        }
      }
      s.append("send\n");
    }
    // A name of its own per script: a benchmark writes one per direction before running either.
    Path script = dir.resolve("nsupdate-" + (++scripts) + "-" + batch + ".txt");
    Files.writeString(script, s, StandardCharsets.UTF_8);
    return script;
  }

  /**
   * Runs nsupdate on the script and returns its wall time, process start to exit. Every UPDATE of
   * the script must change the zone (its serial rises by one per UPDATE): replacing records with
   * what the server already holds is a no-op for it, far cheaper than the moves being compared.
   */
  Duration run(Path script) throws Exception {
    long updates = Files.readAllLines(script).stream().filter("send"::equals).count();
    long serialBefore = serial();
    Path key = dir.resolve("tsig.key");
    if (!Files.exists(key)) {
      Files.writeString(
          key,
          "key \""
              + dns.tsigName()
              + "\" { algorithm "
              + DnsTestServer.TSIG_ALGORITHM
              + "; secret \""
              + dns.tsigSecretBase64()
              + "\"; };\n");
    }
    Path out = dir.resolve("nsupdate.out");
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(
                nsupdate.toString(), "-v", "-k", key.toString(), "-t", "10", script.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("nsupdate did not finish within 120 s");
    }
    long took = System.nanoTime() - start;
    if (p.exitValue() != 0) {
      throw new IOException(
          "nsupdate exited with " + p.exitValue() + ": " + Files.readString(out).strip());
    }
    long changed = serial() - serialBefore;
    if (changed != updates) {
      throw new IllegalStateException(
          "the anchor's "
              + updates
              + " UPDATEs changed the zone's serial by "
              + changed
              + ": they did not all change the zone");
    }
    return Duration.ofNanos(took);
  }

  private long serial() throws Exception {
    return ((SOARecord)
            dns.query(dns.zone(), Type.SOA).stream()
                .filter(SOARecord.class::isInstance)
                .findFirst()
                .orElseThrow())
        .getSerial();
  }
}
