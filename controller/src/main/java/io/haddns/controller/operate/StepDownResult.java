package io.haddns.controller.operate;

import java.time.Duration;

/**
 * A completed hand-over.
 *
 * @param previousLeader the node that led when the request was written
 * @param newLeader the node that began the new term
 * @param epoch the new term
 * @param handOver from writing the request to this node seeing the new term in ZooKeeper
 */
public record StepDownResult(
    String previousLeader, String newLeader, long epoch, Duration handOver) {}
