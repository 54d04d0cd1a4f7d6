/**
 * Who may connect: the origin allowlist checked at the WebSocket handshake (against cross-site
 * WebSocket hijacking), and the optional HS256 access tokens an application backend mints to let a
 * user into a room.
 */
package dev.rendezvous.auth;
