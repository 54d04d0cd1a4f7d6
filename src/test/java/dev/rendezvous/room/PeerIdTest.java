package dev.rendezvous.room;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerIdTest {

    @Test
    void idsAreUnguessableUrlSafeAndUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = PeerId.fresh().value();
            assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
            assertTrue(ids.add(id));
        }
    }
}
