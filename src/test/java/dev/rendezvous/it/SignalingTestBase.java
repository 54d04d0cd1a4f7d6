package dev.rendezvous.it;

import dev.rendezvous.testkit.PreviousServerGone;
import dev.rendezvous.testkit.RawClient;
import dev.rendezvous.testkit.TestPeer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What every black-box IT needs: the built WAR, a fresh room per test, and clients closed afterwards. */
@ExtendWith({PreviousServerGone.class, ArquillianExtension.class})
@RunAsClient
@Timeout(120)
abstract class SignalingTestBase {

    @ArquillianResource
    private URL base;

    protected String room;
    private final List<TestPeer> open = new ArrayList<>();

    @BeforeEach
    void freshRoom() {
        room = "it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closeAll() {
        open.forEach(TestPeer::close);
    }

    protected URI signal(String roomName, String query) {
        // Host and port fixed: the URL the adapter reports has been seen without a port,
        // and for the root context its path is empty.
        String context = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
        return URI.create("ws://127.0.0.1:" + nextPort() + context
                + "signal/" + roomName + (query == null ? "" : "?" + query));
    }

    /** The port of the server the next connection goes to; a cluster suite spreads connections over its nodes. */
    protected int nextPort() {
        return Integer.getInteger("it.http.port");
    }

    protected TestPeer connect(String roomName, String name) {
        return closeLater(TestPeer.connect(signal(roomName, nameQuery(name))));
    }

    /** Connects with {@code name} (may be null) and further query parameters. */
    protected TestPeer connect(String roomName, String name, String moreQuery) {
        String query = nameQuery(name);
        return closeLater(TestPeer.connect(signal(roomName, query == null ? moreQuery : query + "&" + moreQuery)));
    }

    /** Path and query of the signaling endpoint, for {@link RawClient}. */
    protected String signalPath(String roomName, String query) {
        URI uri = signal(roomName, query);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** Closes the peer after the test. */
    protected TestPeer closeLater(TestPeer peer) {
        open.add(peer);
        return peer;
    }

    private static String nameQuery(String name) {
        return name == null ? null : "name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    /** Joins {@link #room} and returns the peer with its welcome already read. */
    protected Joined join(String name) {
        TestPeer peer = connect(room, name);
        return new Joined(peer, peer.welcome());
    }

    /**
     * Joins {@link #room} with each name in turn and reads every announcement the earlier members
     * get of the later ones, so all start with nothing pending.
     */
    protected List<Joined> joinAll(String... names) {
        List<Joined> joined = new ArrayList<>();
        for (String name : names) {
            Joined newcomer = join(name);
            for (Joined earlier : joined) {
                earlier.peer().next("peer-joined");
            }
            joined.add(newcomer);
        }
        return joined;
    }

    protected record Joined(TestPeer peer, JsonObject welcome) {
        String id() {
            return welcome.getString("peer");
        }
    }

    protected static JsonObject peer(String id, String name) {
        return Json.createObjectBuilder().add("peer", id).add("name", name).build();
    }
}
