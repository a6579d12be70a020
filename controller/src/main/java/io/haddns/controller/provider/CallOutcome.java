package io.haddns.controller.provider;

import java.util.Locale;

/** How one provider call ended, as seen by {@link ResilientDnsProvider}. */
public enum CallOutcome {
  SUCCESS,
  /** The provider reported a {@link TransientProviderException}. */
  TRANSIENT,
  PERMANENT,
  FENCED,
  /** The circuit was open: the provider was not called. */
  REJECTED,
  /** The call ran over its time limit and was abandoned. */
  TIMEOUT,
  /** The provider threw an unchecked exception: a bug, not a backend failure. */
  ERROR;

  /** The lower-case name, for metric labels. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
