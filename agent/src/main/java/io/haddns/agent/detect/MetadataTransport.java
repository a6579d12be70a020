package io.haddns.agent.detect;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * One plain-HTTP exchange with an instance metadata service. Blocks up to its timeout; thread-safe.
 * Returns responses of every status (a redirect is returned, never followed); I/O errors, timeouts
 * and oversized responses are {@link IOException}s.
 */
interface MetadataTransport {
  HttpResponseReader.Response send(String method, URI url, Map<String, String> headers)
      throws IOException;
}
