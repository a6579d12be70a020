/**
 * The composition root of a controller node: {@link io.haddns.controller.runtime.NodeRuntime} wires
 * ZooKeeper client, store, election, probers, providers, node and servers by hand from the
 * configuration, and closes them in reverse order; {@link
 * io.haddns.controller.runtime.ProviderFactory} is the one place that knows every provider type.
 *
 * <p>Only {@code cli} and {@code demo} depend on it. It holds wiring, not behaviour: what a node
 * does lives in the packages it wires.
 */
package io.haddns.controller.runtime;
