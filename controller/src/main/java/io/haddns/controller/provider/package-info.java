/**
 * The {@link io.haddns.controller.provider.DnsProvider} SPI every DNS backend implements ({@code
 * claim}, {@code list}, {@code apply}), its error classes (transient, permanent, fenced), and what
 * all backends share: {@link io.haddns.controller.provider.ResilientDnsProvider} (circuit breaker
 * and per-call time limit), request pacing and the handling of foreign records.
 *
 * <p>It knows no backend: each lives in a sub-package that depends on this one, and code that
 * several backends need belongs here rather than in one of them. It depends on no metrics library
 * ({@link io.haddns.controller.provider.ProviderCallObserver}) and does no retrying: the reconciler
 * backs off.
 */
package io.haddns.controller.provider;
