/**
 * The agent's optional local {@code /metrics} and {@code /healthz} (docs/agent.md, "Metrics and
 * health") on the JDK's HTTP server.
 *
 * <p>Label values come only from the agent's own configuration, never from detected addresses or
 * answers. Only the agent's wiring uses this package: the loop reports through {@link
 * io.haddns.agent.AgentObserver}.
 */
package io.haddns.agent.metrics;
