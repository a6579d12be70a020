package io.haddns.agent;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.Delivery;

/**
 * What {@link AgentLoop} tells about its rounds (the agent's metrics, docs/agent.md "Metrics and
 * health"). Called from the loop's one thread; implementations must be cheap and never throw.
 */
public interface AgentObserver {

  /** Observes nothing: the agent without {@code metrics:}. */
  AgentObserver NONE =
      new AgentObserver() {
        @Override
        public void detected(String line, AddressFamily family, String detector, boolean found) {}

        @Override
        public void reported(String line, AddressFamily family, Delivery delivery, long atMillis) {}

        @Override
        public void lastAcknowledged(String line, AddressFamily family, long atMillis) {}

        @Override
        public void roundCompleted(long atMillis) {}
      };

  /** One detector asked for a line's family: {@code found} or failed. */
  void detected(String line, AddressFamily family, String detector, boolean found);

  /** A report was sent and {@code delivery} is how it ended. */
  void reported(String line, AddressFamily family, Delivery delivery, long atMillis);

  /** The saved state's last acknowledged report of a line and family (at start). */
  void lastAcknowledged(String line, AddressFamily family, long atMillis);

  /** A round over every line and family ended (also when some detections failed). */
  void roundCompleted(long atMillis);
}
