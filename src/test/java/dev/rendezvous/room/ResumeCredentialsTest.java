package dev.rendezvous.room;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResumeCredentialsTest {

    private static final RoomName ROOM = new RoomName("room-1");
    private static final long NOW = 1_800_000_000L;

    private static final byte[] SECRET = "a secret of thirty-two bytes, or more".getBytes(StandardCharsets.UTF_8);

    private final ResumeCredentials credentials = new ResumeCredentials(SECRET);

    @Test
    void aCredentialSaysWhatItWasIssuedFor() {
        ResumeCredentials.Claim claim = new ResumeCredentials.Claim(ROOM, "peer-a", "Ann", 42, NOW + 30);

        assertEquals(Optional.of(claim), credentials.verify(credentials.issue(claim), ROOM, NOW));
    }

    @Test
    void anotherSecretARoomOfItsOwnAChangedPayloadOrExpiryAreRefused() {
        String credential = credentials.issue(new ResumeCredentials.Claim(ROOM, "peer-a", "Ann", 42, NOW + 30));
        String[] parts = credential.split("\\.");
        String changed = parts[0] + "." + parts[1].substring(1) + "." + parts[2];

        assertTrue(new ResumeCredentials(new byte[32]).verify(credential, ROOM, NOW).isEmpty());
        assertTrue(credentials.verify(credential, new RoomName("room-2"), NOW).isEmpty());
        assertTrue(credentials.verify(changed, ROOM, NOW).isEmpty());
        assertTrue(credentials.verify(credential, ROOM, NOW + 30).isEmpty());
    }

    @Test
    void aSignerUsedBeforeSignsAsAFreshOneDoes() {
        ResumeCredentials.Claim claim = new ResumeCredentials.Claim(ROOM, "peer-a", "Ann", 42, NOW + 30);
        String first = credentials.issue(claim);
        assertTrue(credentials.verify("r1.AAAA.AAAA", ROOM, NOW).isEmpty());
        credentials.issue(new ResumeCredentials.Claim(ROOM, "peer-b", "Bo", 7, NOW + 60));

        assertEquals(first, credentials.issue(claim));
        assertEquals(first, new ResumeCredentials(SECRET).issue(claim));
    }

    @Test
    void credentialsIssuedOnManyThreadsAtOnceAllHold() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> checks = IntStream.range(0, 20_000).mapToObj(i -> threads.submit(() -> {
                ResumeCredentials.Claim claim = new ResumeCredentials.Claim(ROOM, "peer-" + i, "", i, NOW + 30);
                return credentials.verify(credentials.issue(claim), ROOM, NOW).equals(Optional.of(claim));
            })).toList();
            for (Future<Boolean> check : checks) {
                assertTrue(check.get());
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
