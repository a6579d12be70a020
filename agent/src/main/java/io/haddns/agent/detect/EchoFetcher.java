package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;
import java.io.IOException;
import java.net.URI;

/**
 * Fetches an echo URL over the given family. Blocks up to its timeout; thread-safe. Errors, non-200
 * statuses and oversized bodies are {@link IOException}s.
 */
interface EchoFetcher {
  String fetch(URI url, AddressFamily family) throws IOException, InterruptedException;
}
