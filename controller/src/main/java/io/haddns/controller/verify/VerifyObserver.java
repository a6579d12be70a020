package io.haddns.controller.verify;

import java.time.Duration;

/** Told how verification of an apply ended. Called on the verifier's thread; must not block. */
public interface VerifyObserver {
  VerifyObserver NOOP =
      new VerifyObserver() {
        @Override
        public void visible(String zone, Duration afterApply) {}

        @Override
        public void notVisible(String zone, String reason) {}
      };

  /** Every checked server answered every checked change, {@code afterApply} after it was sent. */
  void visible(String zone, Duration afterApply);

  /** The timeout passed (or no server could be asked) before all servers answered the change. */
  void notVisible(String zone, String reason);
}
