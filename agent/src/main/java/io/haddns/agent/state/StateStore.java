package io.haddns.agent.state;

import java.io.IOException;

/** Where {@link AgentState} survives restarts. Not thread-safe: one agent loop owns it. */
public interface StateStore {
  /** The saved state, or {@link AgentState#EMPTY} if none was saved yet. */
  AgentState load() throws IOException;

  /** Saves atomically: after a crash either the old or the new state is there, never a mix. */
  void save(AgentState state) throws IOException;
}
