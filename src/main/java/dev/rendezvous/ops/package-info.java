/**
 * Running the server in production: what an operator sees and does beyond the protocol. This
 * node's metrics (a small registry of its own, written in the Prometheus text format at
 * {@code GET /api/metrics}, so every server exposes the same ones), MicroProfile Health liveness
 * and readiness checks, the rate-limited log of protocol violations, and the administration API
 * under {@code /api/admin} (rooms and their members, removing members, closing rooms, minting
 * access tokens), published only when {@code signaling.admin.token} is set. The signaling code
 * counts through {@link dev.rendezvous.ops.MetricRegistry}; nothing here takes part in signaling.
 */
package dev.rendezvous.ops;
