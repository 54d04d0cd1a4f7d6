package dev.rendezvous.signaling;

import dev.rendezvous.auth.Access;
import dev.rendezvous.room.RoomName;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class AdmissionTest {

    private static final CloseReason NORMAL = new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye");

    private final StandIns.RecordingEvents events = new StandIns.RecordingEvents();
    private final Admission admission = new Admission();

    private Admission with(BiFunction<String, String, Access> tokens) {
        admission.connections = new ConnectionRegistry();
        admission.connections.events = events;
        admission.config = StandIns.config(8, 30);
        admission.auth = StandIns.auth(tokens);
        admission.violations = new ViolationLog();
        return admission;
    }

    private Admission.Verdict admit(SessionOutbox socket, String address, String room, Map<String, List<String>> parameters) {
        return admission.admit(socket, address, room, name -> parameters.containsKey(name) ? parameters.get(name).get(0) : null);
    }

    @Test
    void aValidRoomIsAdmittedWithTheServersCapacityAndACleanedName() {
        with((token, room) -> Access.OPEN);
        Admission.Verdict verdict = admit(StandIns.unstartedSocket(), "10.0.0.1", "demo", StandIns.parameters("name", " Ann\u0007 "));
        assertEquals(new Admission.Admitted(new RoomName("demo"), "Ann", 8), verdict);
        assertEquals(1, admission.connections.size());
    }

    @Test
    void aBadRoomNameIsRefusedWith4400AndStaysCountedUntilItsCloseReleasesIt() {
        with((token, room) -> Access.OPEN);
        SessionOutbox socket = StandIns.unstartedSocket();
        Refusal refusal = assertInstanceOf(Refusal.class, admit(socket, "10.0.0.1", "a/b", Map.of()));
        assertEquals(ErrorCode.BAD_ROOM, refusal.code());
        assertEquals(4400, refusal.code().close().code());
        assertEquals(1, admission.connections.size());
        admission.connections.release(socket, "10.0.0.1", refusal.code().close().reason());
        admission.connections.release(socket, "10.0.0.1", NORMAL);
        assertEquals(0, admission.connections.size());
        assertEquals(List.of("closed:4400"), events.told, "counted once, by the close that released it");
    }

    @Test
    void aTokenRefusedIsUnauthorizedWithItsReasonAnd4401() {
        with((token, room) -> token == null ? new Access.Denied("an access token is required") : Access.OPEN);
        Refusal refusal = assertInstanceOf(Refusal.class, admit(StandIns.unstartedSocket(), "10.0.0.1", "demo", Map.of()));
        assertEquals(new Refusal(ErrorCode.UNAUTHORIZED, "an access token is required"), refusal);
        assertEquals(4401, refusal.code().close().code());
    }

    @Test
    void aTokensNameAndCapacityWinOverTheQueryAndTheServer() {
        with((token, room) -> "t".equals(token) && room.equals("demo") ? new Access.Granted("From Token", 3) : new Access.Denied("no"));
        Admission.Verdict verdict = admit(StandIns.unstartedSocket(), "10.0.0.1", "demo", StandIns.parameters("token", "t", "name", "query"));
        assertEquals(new Admission.Admitted(new RoomName("demo"), "From Token", 3), verdict);
    }

    @Test
    void overTheConnectionCapsIsRefusedWith1013AndNeverCounted() {
        with((token, room) -> Access.OPEN);
        assertInstanceOf(Admission.Admitted.class, admit(StandIns.unstartedSocket(), "10.0.0.1", "demo", Map.of()));
        assertInstanceOf(Admission.Admitted.class, admit(StandIns.unstartedSocket(), "10.0.0.1", "demo", Map.of()));
        Refusal perAddress = assertInstanceOf(Refusal.class, admit(StandIns.unstartedSocket(), "10.0.0.1", "demo", Map.of()));
        assertEquals(ErrorCode.TOO_MANY_CONNECTIONS, perAddress.code(), "two per address");
        assertInstanceOf(Admission.Admitted.class, admit(StandIns.unstartedSocket(), "10.0.0.2", "demo", Map.of()));
        SessionOutbox refused = StandIns.unstartedSocket();
        Refusal overall = assertInstanceOf(Refusal.class, admit(refused, "10.0.0.3", "demo", Map.of()));
        assertEquals(1013, overall.code().close().code(), "three in all");
        assertEquals(3, admission.connections.size());
        admission.connections.release(refused, "10.0.0.3", overall.code().close().reason());
        assertEquals(3, admission.connections.size(), "a refused connection releases nothing");
        assertEquals(List.of(), events.told);
    }
}
