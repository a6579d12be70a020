package io.haddns.controller.cli;

import picocli.CommandLine.Command;

/** {@code haddns ctl …}: talk to a running node's admin API. */
@Command(
    name = "ctl",
    description = "Query a running haddns node: its admin API (status) or a DNS server (dig).",
    mixinStandardHelpOptions = true,
    subcommands = {CtlStatusCommand.class, CtlDigCommand.class})
final class CtlCommand {}
