/**
 * What every suite that runs the built WAR shares (the integration tests, the cluster, browser and
 * soak suites, and the benchmark through the test jar): the WAR as it ships, Payara Micro processes
 * of the test's own, a queueing WebSocket client, a raw-socket one, and the wait for the last server to be gone.
 * Holds no tests, so a suite's {@code addPackage} never ships one in a WAR.
 */
package dev.rendezvous.testkit;
