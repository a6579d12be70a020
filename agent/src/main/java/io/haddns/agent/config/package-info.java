/**
 * The agent's YAML file (docs/agent.md): binding, validation with every problem named by its path,
 * and the factory that builds each line's detectors from their settings.
 *
 * <p>Its only I/O is reading the configuration and the files it names; it starts nothing and sends
 * nothing.
 */
package io.haddns.agent.config;
