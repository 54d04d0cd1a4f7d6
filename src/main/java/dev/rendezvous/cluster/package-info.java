/**
 * Rooms that span servers: the relay over Payara's Hazelcast data grid. Room rosters live in a
 * grid map, changed only by atomic compare-and-set; each node holds its own members' connections
 * and receives, on a topic of its own, the {@code {room, from, to, envelope}} messages other nodes
 * address to them. The only package that imports {@code com.hazelcast}.
 */
package dev.rendezvous.cluster;
