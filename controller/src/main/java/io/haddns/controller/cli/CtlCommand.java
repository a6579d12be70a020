package io.haddns.controller.cli;

import picocli.CommandLine.Command;

/** {@code haddns ctl …}: talk to a running node's admin API. */
@Command(
    name = "ctl",
    description =
        "Query a running haddns node: its admin API (status), a DNS server (dig); create"
            + " operator tokens (token create).",
    mixinStandardHelpOptions = true,
    subcommands = {CtlStatusCommand.class, CtlDigCommand.class, CtlTokenCommand.class})
final class CtlCommand {}
