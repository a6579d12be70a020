package io.haddns.controller.cli;

import picocli.CommandLine.Command;

/** {@code haddns ctl …}: talk to a running node's admin API. */
@Command(
    name = "ctl",
    description =
        "Query and steer a running haddns cluster through any node's admin API (status, lines,"
            + " records, line, zone, leader, agent, audit, drill, notify), ask a DNS server (dig),"
            + " create operator tokens (token create).",
    mixinStandardHelpOptions = true,
    subcommands = {
      CtlStatusCommand.class,
      CtlStatusCommand.Lines.class,
      CtlStatusCommand.Records.class,
      CtlOperateCommands.Line.class,
      CtlOperateCommands.Zone.class,
      CtlOperateCommands.Leader.class,
      CtlDrillCommands.Drill.class,
      CtlNotifyCommand.class,
      CtlOperateCommands.Agent.class,
      CtlAuditCommand.class,
      CtlDigCommand.class,
      CtlTokenCommand.class
    })
final class CtlCommand {}
