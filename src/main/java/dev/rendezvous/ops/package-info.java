/**
 * Running the server: what an operator sees and does beyond the protocol. Here the administration
 * API under {@code /api/admin} (rooms and their members, removing members, closing rooms, minting
 * access tokens), published only when {@code signaling.admin.token} is set.
 */
package dev.rendezvous.ops;
