package io.haddns.controller.reconcile;

/**
 * A multi-call apply stopped between calls because this node's term fell in doubt (see {@link
 * LeaderTerm#mayWrite}); the calls made so far are recorded, the rest is tried again later.
 */
final class LeadershipDoubtedException extends Exception {
  private static final long serialVersionUID = 1L;

  LeadershipDoubtedException(long epoch) {
    super("term " + epoch + " in doubt during a multi-call apply", null, false, false);
  }
}
