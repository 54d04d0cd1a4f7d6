/**
 * Test-only server parts of {@code StaleStreamIT}, deployed into the product WAR beside it: a victim
 * connection whose stream is written to after its close, and probe requests that hold worker threads
 * until one of them is served by the victim's recycled response.
 */
package dev.rendezvous.it.stale;
