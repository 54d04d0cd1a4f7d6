/**
 * Running the server in production: this node's metrics (a small registry of its own, written in
 * the Prometheus text format at {@code GET /api/metrics}, so every server exposes the same ones),
 * MicroProfile Health liveness and readiness checks, and the rate-limited log of protocol
 * violations. The signaling code counts through {@link dev.rendezvous.ops.MetricRegistry}; nothing
 * here takes part in signaling.
 */
package dev.rendezvous.ops;
