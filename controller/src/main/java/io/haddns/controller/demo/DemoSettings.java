package io.haddns.controller.demo;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the demo runs with.
 *
 * @param httpPort admin port of the first node (the others use the next ports); 0 picks free ones
 * @param dnsPort DNS port of every node, each on its own loopback address 127.0.0.1–3; 0 picks free
 *     ones
 * @param stayRunning keep serving after the scenario until interrupted
 */
public record DemoSettings(
    Path dataDir, int httpPort, int dnsPort, Duration sessionTimeout, boolean stayRunning) {}
