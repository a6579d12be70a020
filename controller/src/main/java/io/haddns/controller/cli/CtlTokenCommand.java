package io.haddns.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.config.OperatorRole;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code haddns ctl token …}: operator tokens for the admin API. */
@Command(
    name = "token",
    description = "Operator tokens for the admin API.",
    mixinStandardHelpOptions = true,
    subcommands = {CtlTokenCommand.Create.class})
final class CtlTokenCommand {

  /**
   * {@code haddns ctl token create}: prints a new token once and the line that configures its
   * SHA-256; nothing is stored anywhere.
   */
  @Command(
      name = "create",
      description =
          "Create an operator token: prints the token (once; store it now) and the line to add"
              + " under operators.tokens.",
      mixinStandardHelpOptions = true)
  static final class Create implements Callable<Integer> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
    private static final Pattern CLUSTER = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    @Option(names = "--name", required = true, description = "The credential's name (audited).")
    String name;

    @Option(names = "--role", required = true, description = "viewer, operator or admin.")
    String role;

    @Option(
        names = "--cluster",
        description = "The cluster the token is for (default: cluster.name of --config).")
    String cluster;

    @Option(names = "--config", description = "The configuration file to take the cluster from.")
    Path config;

    @Option(
        names = "--scope-line",
        description = "Allow POST /api/v1/update to set this line's address.")
    String scopeLine;

    @Option(
        names = "--scope-hostname",
        split = ",",
        description = "Host names the update may name (records of --scope-line).")
    List<String> scopeHostnames = List.of();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!NAME.matcher(name).matches()) {
        err.println(
            "haddns ctl token create: --name must be 1 to 64 letters, digits, '_', '.', '@' or '-'");
        return 2;
      }
      Optional<OperatorRole> r = OperatorRole.parse(role);
      if (r.isEmpty()) {
        err.println("haddns ctl token create: --role must be viewer, operator or admin");
        return 2;
      }
      Optional<String> c = cluster(err);
      if (c.isEmpty()) {
        return 2;
      }
      if ((scopeLine == null) != scopeHostnames.isEmpty()) {
        err.println("haddns ctl token create: --scope-line and --scope-hostname go together");
        return 2;
      }
      String token = OperatorTokens.generate(c.get(), new SecureRandom());
      out.println("# The token (shown only now; keep it in a secret store or a file for");
      out.println("# 'haddns ctl --token-file', and send it as 'Authorization: Bearer <token>'):");
      out.println(token);
      out.println();
      out.println("# Add under operators.tokens in the configuration of cluster " + c.get() + ":");
      String scope =
          scopeLine == null
              ? ""
              : ", scope: { line: "
                  + scopeLine
                  + ", hostnames: ["
                  + String.join(", ", scopeHostnames)
                  + "] }";
      out.println(
          "    - { name: "
              + name
              + ", role: "
              + r.get().label()
              + ", sha256: \""
              + OperatorTokens.sha256(token)
              + "\""
              + scope
              + " }");
      out.flush();
      return 0;
    }

    private Optional<String> cluster(PrintWriter err) {
      String found = cluster;
      if (found == null && config != null) {
        try {
          JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(config.toFile());
          JsonNode n = tree == null ? null : tree.path("cluster").path("name");
          found = n == null || !n.isTextual() ? null : n.asText();
        } catch (IOException e) {
          err.println("haddns ctl token create: cannot read " + config + ": " + e.getMessage());
          return Optional.empty();
        }
      }
      if (found == null) {
        err.println("haddns ctl token create: give --cluster NAME or --config FILE");
        return Optional.empty();
      }
      if (!CLUSTER.matcher(found).matches()) {
        err.println("haddns ctl token create: not a cluster name: " + found);
        return Optional.empty();
      }
      return Optional.of(found);
    }
  }
}
