package io.haddns.controller.auth;

import java.util.Optional;

/** What {@link Authenticator#authenticate} made of a request's credentials. */
public sealed interface AuthOutcome {

  /** The request carried a valid credential. */
  record Authenticated(Principal principal) implements AuthOutcome {}

  /** The request carried no credential at all. */
  record Anonymous() implements AuthOutcome {}

  /**
   * The request carried a credential that is not valid.
   *
   * @param reason why, in fixed words; never the presented value
   * @param name the credential's name, when it is known (a JWT's subject, a configured token)
   */
  record Refused(String reason, Optional<String> name) implements AuthOutcome {
    public Refused(String reason) {
      this(reason, Optional.empty());
    }
  }
}
