package dev.rendezvous.signaling;

import dev.rendezvous.auth.Access;
import dev.rendezvous.auth.AuthSettings;
import dev.rendezvous.room.Peer;
import dev.rendezvous.room.RoomName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Whether a new connection may go on to join, decided once as it opens: under the connection
 * caps, a valid room name, and an access token for the room when tokens are required. A refusal
 * carries the error the client is told; the close that follows is its {@link ErrorCode}'s.
 */
@ApplicationScoped
public class Admission {

    /** What a new connection came to: {@link Admitted} or a {@link Refusal}. */
    sealed interface Verdict permits Admitted, Refusal {
    }

    /** In, counted under the caps: to {@code room}, shown as {@code name}, in a room of at most {@code maxPeers}. */
    record Admitted(RoomName room, String name, int maxPeers) implements Verdict {
    }

    @Inject
    ConnectionRegistry connections;
    @Inject
    SignalingConfig config;
    @Inject
    AuthSettings auth;
    @Inject
    ViolationLog violations;

    /**
     * Counts {@code connection} from {@code address} in (a refusal after that leaves it counted,
     * until its close releases it), then checks the room it asked for
     * ({@code room}, as the client wrote it) and its {@code token} and {@code name} query parameters.
     */
    Verdict admit(SessionOutbox connection, String address, String room, UnaryOperator<String> parameter) {
        ErrorCode capped = connections.admit(connection, address, config.maxConnections(), config.maxConnectionsPerAddress());
        if (capped != null) {
            return new Refusal(capped, capped.text());
        }
        Optional<RoomName> name = RoomName.parse(room);
        if (name.isEmpty()) {
            violations.report(ErrorCode.BAD_ROOM.name(), address, room);
            return new Refusal(ErrorCode.BAD_ROOM, RoomName.RULE);
        }
        Access access = auth.access(parameter.apply("token"), room);
        if (access instanceof Access.Denied denied) {
            violations.report(ErrorCode.UNAUTHORIZED.name(), address, room);
            return new Refusal(ErrorCode.UNAUTHORIZED, denied.reason());
        }
        Access.Granted granted = (Access.Granted) access;
        int maxPeers = granted.maxPeers() != null ? granted.maxPeers() : config.maxPeers();
        String shown = Peer.cleanName(granted.name() != null ? granted.name() : parameter.apply("name"));
        return new Admitted(name.get(), shown, maxPeers);
    }
}
