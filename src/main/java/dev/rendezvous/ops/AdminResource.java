package dev.rendezvous.ops;

import dev.rendezvous.auth.AuthSettings;
import dev.rendezvous.room.Peer;
import dev.rendezvous.room.Relay;
import dev.rendezvous.room.Removal;
import dev.rendezvous.room.RoomName;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * {@code /api/admin}: the rooms and their members (cluster-wide on a cluster), removing a member or
 * a whole room, and minting access tokens. Published only when the admin token is set, and
 * reached only through {@link AdminGuard}. Every action is logged at INFO. Its operations are hidden
 * from the server's OpenAPI document, which scans every resource class whether published or not: an
 * API that is off is not advertised, and docs/ADMIN.md is the reference when it is on. A little over
 * the usual length: one method per documented operation, with its response types.
 */
@Path("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    // The answers, their fields in the order docs/ADMIN.md shows them (JSON-B would sort them by name).
    // Every operation returns a Response, so that no answer type shows in the OpenAPI document either.

    /** A room and how many members it has. */
    @JsonbPropertyOrder({"room", "members"})
    public record RoomSize(String room, int members) {
    }

    public record Rooms(List<RoomSize> rooms) {
    }

    /** A member as {@code welcome.peers} shows it. */
    @JsonbPropertyOrder({"peer", "name"})
    public record RoomMember(String peer, String name) {
    }

    /** A room's members in join order. */
    @JsonbPropertyOrder({"room", "peers"})
    public record RoomMembers(String room, List<RoomMember> peers) {
    }

    /** A closed room and the ids of the members it had. */
    @JsonbPropertyOrder({"room", "removed"})
    public record ClosedRoom(String room, List<String> removed) {
    }

    /** A minted access token for {@code room}, valid until {@code exp} (seconds since the epoch). */
    @JsonbPropertyOrder({"token", "room", "exp"})
    public record Minted(String token, String room, long exp) {
    }

    private static final Logger LOG = Logger.getLogger(AdminResource.class.getName());

    @Inject
    Relay relay;

    @Inject
    AuthSettings auth;

    @GET
    @Path("rooms")
    @Operation(hidden = true)
    public Response rooms() {
        List<RoomSize> rooms = new ArrayList<>();
        relay.occupancy().forEach((room, members) -> rooms.add(new RoomSize(room, members)));
        return Response.ok(new Rooms(rooms)).build();
    }

    @GET
    @Path("rooms/{room}")
    @Operation(hidden = true)
    public Response room(@PathParam("room") String room) {
        if (!RoomName.isValid(room)) {
            return badRoom();
        }
        List<RoomMember> peers = relay.peers(new RoomName(room)).stream().map(peer -> new RoomMember(peer.peer(), peer.name())).toList();
        return peers.isEmpty() ? noSuchRoom(room) : Response.ok(new RoomMembers(room, peers)).build();
    }

    @DELETE
    @Path("rooms/{room}")
    @Operation(hidden = true)
    public Response close(@PathParam("room") String room) {
        if (!RoomName.isValid(room)) {
            return badRoom();
        }
        RoomName name = new RoomName(room);
        List<String> removed = new ArrayList<>();
        for (Peer peer : relay.peers(name)) {
            if (relay.remove(name, peer.peer(), Removal.ROOM_CLOSED)) {
                removed.add(peer.peer());
            }
        }
        if (removed.isEmpty()) {
            return noSuchRoom(room);
        }
        LOG.info(() -> "Administrator closed room " + room + ", removing " + removed.size() + " members");
        return Response.ok(new ClosedRoom(room, removed)).build();
    }

    @DELETE
    @Path("rooms/{room}/members/{peer}")
    @Operation(hidden = true)
    public Response kick(@PathParam("room") String room, @PathParam("peer") String peer) {
        if (!RoomName.isValid(room)) {
            return badRoom();
        }
        if (!relay.remove(new RoomName(room), peer, Removal.KICKED)) {
            return AdminProblem.of(AdminProblem.Code.NO_SUCH_MEMBER, "room " + room + " has no member " + peer);
        }
        LOG.info(() -> "Administrator removed member " + peer + " from room " + room);
        return Response.noContent().build();
    }

    @POST
    @Path("tokens")
    @Operation(hidden = true)
    public Response mint(String body) {
        if (!auth.tokensRequired()) {
            return AdminProblem.of(AdminProblem.Code.TOKENS_OFF,
                    "access tokens are off (signaling.auth.secret is not set): joins need none, and none can be minted");
        }
        MintRequest request;
        try {
            request = MintRequest.parse(body);
        } catch (IllegalArgumentException bad) {
            return AdminProblem.of(AdminProblem.Code.BAD_REQUEST, bad.getMessage());
        }
        Instant expiry = Instant.now().plusSeconds(request.ttl());
        String token = auth.mint(request.room(), request.name(), request.maxPeers(), expiry);
        LOG.info(() -> "Administrator minted an access token for room " + request.room() + ", valid " + request.ttl() + " s");
        return Response.ok(new Minted(token, request.room(), expiry.getEpochSecond())).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static Response badRoom() {
        return AdminProblem.of(AdminProblem.Code.BAD_REQUEST, "room names are 1-64 characters of A-Z a-z 0-9 _ -");
    }

    private static Response noSuchRoom(String room) {
        return AdminProblem.of(AdminProblem.Code.NO_SUCH_ROOM, "room " + room + " has no members");
    }
}
