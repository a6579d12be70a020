package io.haddns.controller.demo;

import java.time.Duration;

/** What the demo measured: failover, leader handover and fail-back times. */
public record DemoTimings(Duration failover, Duration handover, Duration failback) {}
