package dev.rendezvous.ops;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminOptionsGuardTest {

    @Test
    void everySpellingOfAPathUnderAdminIsUnderAdmin() {
        for (String path : List.of("admin", "/admin", "admin/rooms", "//admin//rooms/x", "./admin/tokens", "metrics/../admin",
                "admin;v=1/rooms")) {
            assertTrue(AdminOptionsGuard.underAdmin(path), path);
        }
        for (String path : List.of("", "/", "metrics", "ice-servers", "administration", "Admin/rooms", "admin/..", "x/admin")) {
            assertFalse(AdminOptionsGuard.underAdmin(path), path);
        }
    }
}
