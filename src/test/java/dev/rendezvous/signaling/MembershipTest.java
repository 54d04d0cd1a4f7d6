package dev.rendezvous.signaling;

import dev.rendezvous.room.LocalRelay;
import dev.rendezvous.room.RecordingOutbox;
import dev.rendezvous.room.Resumptions;
import dev.rendezvous.room.RoomName;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembershipTest {

    private static final RoomName ROOM = new RoomName("demo");
    private static final CloseReason DROPPED = new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "");
    private static final CloseReason NORMAL = new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye");

    private final StandIns.RecordingEvents events = new StandIns.RecordingEvents();
    private final Membership membership = membership(2);

    private Membership membership(int maxPeers) {
        Membership membership = new Membership();
        membership.relay = new LocalRelay(new Announcements());
        membership.resumptions = new Resumptions();
        membership.config = StandIns.config(maxPeers, 30);
        membership.ice = StandIns.noIceServers();
        membership.events = events;
        return membership;
    }

    private Membership.Entered join(String name, RecordingOutbox socket) {
        return assertInstanceOf(Membership.Entered.class,
                membership.enter(new Admission.Admitted(ROOM, name, 2), null, null, socket));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void aNewcomerIsWelcomedWithTheOthersWhoHearOfItFirst() {
        RecordingOutbox annSocket = new RecordingOutbox();
        Membership.Entered ann = join("Ann", annSocket);
        Membership.Entered bob = join("Bob", new RecordingOutbox());
        JsonObject welcome = json(bob.welcome());
        assertEquals("welcome", welcome.getString("type"));
        assertEquals(ann.member().id(), welcome.getJsonArray("peers").getJsonObject(0).getString("peer"));
        assertEquals(List.of("{\"type\":\"peer-joined\",\"peer\":\"" + bob.member().id() + "\",\"name\":\"Bob\"}"),
                annSocket.messages().stream().map(text -> json(text).toString()).toList());
    }

    @Test
    void aFullRoomRefusesWithRoomFullAnd4409() {
        join("Ann", new RecordingOutbox());
        join("Bob", new RecordingOutbox());
        Refusal refusal = assertInstanceOf(Refusal.class,
                membership.enter(new Admission.Admitted(ROOM, "Cy", 2), null, null, new RecordingOutbox()));
        assertEquals(new Refusal(ErrorCode.ROOM_FULL, "room is full (2 peers)"), refusal);
        assertEquals(4409, refusal.code().close().code());
    }

    @Test
    void aDroppedMemberResumesOnAnotherSocketWithWhatItMissedAndNobodyHearsItLeave() {
        RecordingOutbox annSocket = new RecordingOutbox();
        Membership.Entered ann = join("Ann", annSocket);
        RecordingOutbox firstSocket = new RecordingOutbox();
        Membership.Entered bob = join("Bob", firstSocket);
        membership.disconnected(ROOM, bob.member(), firstSocket, DROPPED);
        assertTrue(membership.relay(ROOM, ann.member(), new Offer(null, bob.member().id(), "v=0")));
        RecordingOutbox secondSocket = new RecordingOutbox();
        Membership.Entered again = assertInstanceOf(Membership.Entered.class, membership.enter(
                new Admission.Admitted(ROOM, "Bob", 2), json(bob.welcome()).getString("resume"), "0", secondSocket));
        assertEquals(bob.member(), again.member());
        assertTrue(json(again.welcome()).getBoolean("resumed"));
        assertEquals("offer", json(secondSocket.messages().get(0)).getString("type"), "the offer it missed, handed over");
        assertEquals(1, annSocket.messages().size(), "Ann heard Bob join, and nothing else");
        assertEquals(List.of("relayed:Offer", "resumeAttempted:true"), events.told);
    }

    @Test
    void aReceivedThatIsNotACountFailsTheResumeAndLeavesTheCredentialGood() {
        join("Ann", new RecordingOutbox());
        RecordingOutbox firstSocket = new RecordingOutbox();
        Membership.Entered bob = join("Bob", firstSocket);
        membership.disconnected(ROOM, bob.member(), firstSocket, DROPPED);
        String token = json(bob.welcome()).getString("resume");
        for (String received : List.of("-1", "+0", "\u0660", "0x0", "", " 0", "1e1", "99999999999999999999")) {
            Membership.Entered fresh = assertInstanceOf(Membership.Entered.class,
                    membership.enter(new Admission.Admitted(ROOM, "Bob", 20), token, received, new RecordingOutbox()));
            JsonObject notice = json(fresh.notice());
            assertEquals("RESUME_FAILED", notice.getString("code"), "received=" + received);
            assertEquals("received must be a count of messages", notice.getString("message"));
            assertFalse(json(fresh.welcome()).getBoolean("resumed", false), "joined afresh");
        }
        Membership.Entered again = assertInstanceOf(Membership.Entered.class, membership.enter(
                new Admission.Admitted(ROOM, "Bob", 20), token, "0", new RecordingOutbox()));
        assertTrue(json(again.welcome()).getBoolean("resumed"), "the credential was not used by the failed attempts");
        assertEquals(bob.member(), again.member());
    }

    @Test
    void aResumeThatFailsJoinsAfreshAfterARESUME_FAILEDNotice() {
        Membership.Entered entered = assertInstanceOf(Membership.Entered.class, membership.enter(
                new Admission.Admitted(ROOM, "Ann", 2), "no-such-token", "0", new RecordingOutbox()));
        JsonObject notice = json(entered.notice());
        assertEquals("RESUME_FAILED", notice.getString("code"));
        assertEquals("the resume token is unknown, used or expired", notice.getString("message"));
        assertEquals(List.of("resumeAttempted:false", "errorSent:RESUME_FAILED"), events.told);
    }

    @Test
    void aMemberThatEndsIsAnnouncedAsLeftOnceWhateverElseEnds() {
        RecordingOutbox annSocket = new RecordingOutbox();
        join("Ann", annSocket);
        RecordingOutbox bobSocket = new RecordingOutbox();
        Membership.Entered bob = join("Bob", bobSocket);
        membership.disconnected(ROOM, bob.member(), bobSocket, NORMAL);
        membership.left(ROOM, bob.member());
        membership.disconnected(ROOM, bob.member(), bobSocket, DROPPED);
        assertEquals(List.of("peer-joined", "peer-left"),
                annSocket.messages().stream().map(text -> json(text).getString("type")).toList());
        assertInstanceOf(Membership.Entered.class, membership.enter(
                new Admission.Admitted(ROOM, "Bob", 2), json(bob.welcome()).getString("resume"), "0", new RecordingOutbox()),
                "a member that left cannot be resumed, so this is a fresh join");
        assertEquals("resumeAttempted:false", events.told.get(0));
    }
}
