/**
 * What the agent keeps across restarts: the last sequence it signed (so a sequence is never reused)
 * and, per line and family, the addresses last acknowledged.
 *
 * <p>Written atomically (temporary file, fsync, rename). Not thread-safe: the agent loop alone owns
 * it.
 */
package io.haddns.agent.state;
