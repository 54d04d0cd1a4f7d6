package dev.rendezvous.ice;

import dev.rendezvous.auth.Access;
import dev.rendezvous.auth.AuthSettings;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * {@code GET /api/ice-servers}: the ICE servers for a client that wants them before joining. When
 * access tokens are on, it takes one (any room) as {@code Authorization: Bearer …} or {@code ?token=}.
 */
@Path("ice-servers")
public class IceServersResource {

    /** The response body. */
    public record Answer(List<IceServer> iceServers, long ttl) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    IceServers ice;

    @Inject
    AuthSettings auth;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("token") String token) {
        String presented = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).trim() : token;
        if (auth.access(presented, null) instanceof Access.Denied denied) {
            return Response.status(Response.Status.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .type(MediaType.TEXT_PLAIN).entity(denied.reason()).build();
        }
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(new Answer(ice.forPeer(anonymousUser()), ice.ttlSeconds())).cacheControl(noStore).build();
    }

    /** Credentials for someone not (yet) in a room name a random user, like a peer id. */
    private static String anonymousUser() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
