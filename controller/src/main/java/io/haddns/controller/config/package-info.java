/**
 * The configuration file: reading the YAML strictly (duplicate keys, unknown keys with a
 * suggestion, aliases) into the validated, immutable {@link
 * io.haddns.controller.config.HaddnsConfig} records, or a {@link
 * io.haddns.controller.config.ConfigException} listing every problem with its field path.
 *
 * <p>Its only I/O is reading the configuration and the small files it names (keys, hashes,
 * secrets); it never connects anywhere. A secret's value never appears in a problem, a log line or
 * a {@code toString()}: they name where the secret came from.
 */
package io.haddns.controller.config;
