/**
 * The edge agent's top level: {@code AgentMain} parses the command line, {@link
 * io.haddns.agent.AgentRuntime} wires a running agent from its settings, and {@link
 * io.haddns.agent.AgentLoop} runs the detection rounds that sign and send reports when a line's
 * addresses change.
 *
 * <p>The agent depends on neither the probe nor the controller module: the wire format
 * (docs/agent-protocol.md) is the only contract, pinned by shared test vectors.
 */
package io.haddns.agent;
