package io.haddns.controller.provider;

import java.util.function.Supplier;

/**
 * Hook for metrics on {@link ResilientDnsProvider}, so the provider stays free of any metrics
 * library.
 *
 * <p>Threading: {@link #called} runs on the zone's calling thread after each call, for different
 * zones concurrently, and must not block or throw. The suppliers given to {@link #watchCircuit} may
 * be read from any thread at any time.
 */
public interface ProviderCallObserver {

  ProviderCallObserver NOOP =
      new ProviderCallObserver() {
        @Override
        public void watchCircuit(String zone, Supplier<CircuitState> state) {}

        @Override
        public void called(String zone, String operation, CallOutcome outcome) {}
      };

  /** A zone's provider got a circuit breaker; {@code state} reads its current state. */
  void watchCircuit(String zone, Supplier<CircuitState> state);

  /**
   * A call ended.
   *
   * @param operation {@code claim}, {@code list} or {@code apply}
   */
  void called(String zone, String operation, CallOutcome outcome);
}
