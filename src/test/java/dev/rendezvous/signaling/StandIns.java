package dev.rendezvous.signaling;

import dev.rendezvous.auth.Access;
import dev.rendezvous.auth.AuthSettings;
import dev.rendezvous.ice.IceServer;
import dev.rendezvous.ice.IceServers;
import jakarta.websocket.Session;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/** What the signaling units are built from in unit tests, without a container. */
final class StandIns {

    private StandIns() {
    }

    /** Settings as the defaults have them, but for the given room capacity and resume grace. */
    static SignalingConfig config(int maxPeers, int resumeGraceSeconds) {
        SignalingConfig config = new SignalingConfig();
        config.maxPeers = maxPeers;
        config.maxMessageBytes = SignalingConfig.DEFAULT_MAX_MESSAGE_BYTES;
        config.maxRooms = 100;
        config.maxConnections = 3;
        config.maxConnectionsPerAddress = 2;
        config.ratePerSecond = 50;
        config.rateBurst = 200;
        config.maxOutboxBytes = 1 << 20;
        config.heartbeatSeconds = 15;
        config.resumeGraceSeconds = resumeGraceSeconds;
        return config;
    }

    /** Access as {@code decide} grants it to a token and a room. */
    static AuthSettings auth(BiFunction<String, String, Access> decide) {
        return new AuthSettings() {
            @Override
            public Access access(String token, String room) {
                return decide.apply(token, room);
            }
        };
    }

    /** No ICE servers: the welcome carries an empty list. */
    static IceServers noIceServers() {
        return new IceServers() {
            @Override
            public List<IceServer> forPeer(String user) {
                return List.of();
            }
        };
    }

    /** A socket's outbox whose session takes nothing: enough to be counted under the caps. */
    static SessionOutbox unstartedSocket() {
        Session session = (Session) Proxy.newProxyInstance(StandIns.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
        return new SessionOutbox(session, Long.MAX_VALUE, Runnable::run, reason -> { }, nanos -> { });
    }

    /** Keeps what it is told, in order, as {@code name} or {@code name:argument}. */
    static final class RecordingEvents implements SignalingEvents {

        final List<String> told = new CopyOnWriteArrayList<>();

        @Override
        public void relayed(Signal signal) {
            told.add("relayed:" + signal.getClass().getSimpleName());
        }

        @Override
        public void errorSent(ErrorCode code) {
            told.add("errorSent:" + code);
        }

        @Override
        public void closed(int code) {
            told.add("closed:" + code);
        }

        @Override
        public void resumeAttempted(boolean resumed) {
            told.add("resumeAttempted:" + resumed);
        }

        @Override
        public void rateLimited() {
            told.add("rateLimited");
        }

        @Override
        public void written(long nanos) {
        }
    }

    static Map<String, List<String>> parameters(String... namesAndValues) {
        Map<String, List<String>> parameters = new java.util.HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            parameters.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return parameters;
    }
}
