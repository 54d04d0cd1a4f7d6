/**
 * The benchmark: a load generator, not a test. {@link dev.rendezvous.bench.Bench} boots the built
 * WAR on Payara Micro (or WildFly) processes of its own (one node, or two forming a data grid on
 * 127.0.0.1) and PeerJS server beside them, drives scenarios against them (a fixed offered rate, a
 * closed loop, connection storms and idle members) from one Netty event loop in the same JVM that
 * receives, and prints one table per scenario, the product's figures side by side with PeerJS's and
 * the container floor's. Run by {@code ./mvnw -f bench/pom.xml verify}; {@code -Dbench.smoke=true}
 * is the short run CI calls so that it cannot rot.
 */
package dev.rendezvous.bench;
