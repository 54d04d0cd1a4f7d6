package dev.rendezvous.ops;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminSettingsTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    private static AdminSettings with(Optional<String> token) {
        AdminSettings settings = new AdminSettings();
        settings.token = token;
        settings.check();
        return settings;
    }

    @Test
    void aShortTokenStopsTheDeploymentNamingTheKeyWithoutShowingTheToken() {
        String shortToken = "only thirty-one characters long";
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> with(Optional.of(shortToken)));
        assertTrue(refused.getMessage().contains("signaling.admin.token"));
        assertFalse(refused.getMessage().contains(shortToken));
        assertThrows(IllegalStateException.class, () -> with(Optional.of(" ".repeat(40))));
    }

    @Test
    void onlyTheExactTokenAsABearerCredentialIsAccepted() {
        AdminSettings settings = with(Optional.of(TOKEN));
        assertTrue(settings.enabled());
        assertTrue(settings.accepts("Bearer " + TOKEN));
        assertTrue(settings.accepts("bearer " + TOKEN), "the scheme is case-insensitive");
        assertFalse(settings.accepts(null));
        assertFalse(settings.accepts(""));
        assertFalse(settings.accepts(TOKEN), "no scheme");
        assertFalse(settings.accepts("Basic " + TOKEN));
        assertFalse(settings.accepts("Bearer " + TOKEN.substring(1)));
        assertFalse(settings.accepts("Bearer " + TOKEN + "0"));
        assertFalse(settings.accepts("Bearer "));
    }

    @Test
    void withoutATokenTheApiIsOffAndAcceptsNothing() {
        AdminSettings settings = with(Optional.empty());
        assertFalse(settings.enabled());
        assertFalse(settings.accepts("Bearer "));
        assertFalse(settings.accepts("Bearer anything"));
    }
}
