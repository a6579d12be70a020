package io.haddns.controller.cli;

import picocli.CommandLine.Option;

/** The {@code --output table|json} option of every {@code haddns ctl} read command. */
final class OutputOption {
  /** How a read command prints the node's answer. */
  enum Format {
    table,
    json
  }

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table (default, for people) or json (the node's answer, for scripts).")
  Format format = Format.table;

  @Option(names = "--json", description = "Same as --output json.")
  boolean json;

  boolean isJson() {
    return json || format == Format.json;
  }
}
