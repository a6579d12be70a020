package io.haddns.controller.store;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Operators' intents (line overrides, zone pauses, a step-down request), kept in the replicated
 * state so that any node can take them and the leader of the day carries them out.
 *
 * <p>Reads come from warm views and never block. Operator writes are not fenced (any node writes
 * them, leader or not) but are compare-and-set on the intent node's version ({@link
 * Versioned#ABSENT} to create) and commit together with their audit event in one transaction: both
 * or neither. They block until committed and throw {@link IntentConflictException} when the version
 * differs and {@link StoreUnavailableException} when ZooKeeper cannot be reached (outcome unknown).
 * An override or pause write returns once this node's own view shows it (at most a couple of
 * seconds after the commit), so the caller's next read or change on this node builds on it.
 * Thread-safe.
 */
public interface IntentStore {

  /**
   * Overrides by line, from the warm view (expired ones included until the leader removes them).
   */
  Map<String, Versioned<LineOverride>> overrides();

  /** Pauses by zone, from the warm view. */
  Map<String, Versioned<ZonePause>> pauses();

  /** The pending step-down request, if any, from the warm view. */
  Optional<StepDownRequest> stepDown();

  /** Creates or replaces the override of its line. */
  void putOverride(LineOverride override, int expectedVersion, AuditEvent event)
      throws IntentConflictException;

  /** Deletes the override of {@code line}. */
  void removeOverride(String line, int expectedVersion, AuditEvent event)
      throws IntentConflictException;

  /**
   * The leader's removal of an expired override: one transaction checked against {@code epoch}
   * (like every leader write) and the override's version, with its audit event.
   */
  void expireOverride(long epoch, String line, int version, AuditEvent event)
      throws NotLeaderException, IntentConflictException;

  /** Creates or replaces the pause of its zone. */
  void putPause(ZonePause pause, int expectedVersion, AuditEvent event)
      throws IntentConflictException;

  /** Deletes the pause of {@code zone}. */
  void removePause(String zone, int expectedVersion, AuditEvent event)
      throws IntentConflictException;

  /** Writes {@code request} as the pending step-down request, replacing any older one. */
  void requestStepDown(StepDownRequest request, AuditEvent event);

  /** Deletes the pending step-down request if it is the one with {@code id}; else nothing. */
  void clearStepDown(String id);

  /**
   * Calls {@code listener} on {@code executor} after intents changed (coalescing allowed; the views
   * already show the change).
   */
  void addIntentListener(Runnable listener, Executor executor);
}
