/**
 * ICE servers for clients: the configured STUN and TURN URLs, with TURN credentials either static
 * or short-lived and per peer (the TURN REST API convention coturn implements with
 * {@code use-auth-secret}), sent in every welcome and served at {@code GET /api/ice-servers}.
 */
package dev.rendezvous.ice;
