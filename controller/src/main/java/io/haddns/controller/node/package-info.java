/**
 * One controller node at run time: {@link io.haddns.controller.node.ControllerNode} takes part in
 * the election and, while it leads, probes the lines, records health transitions, reconciles DNS,
 * carries out operators' intents and runs drills; a follower keeps its views warm and answers
 * status.
 *
 * <p>Leader work runs only inside a term and stops when the term ends: a node that is not the
 * leader never writes DNS. It gets its parts (store, election, providers, probing) through its
 * constructor from {@code runtime}.
 */
package io.haddns.controller.node;
