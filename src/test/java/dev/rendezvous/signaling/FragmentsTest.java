package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FragmentsTest {

    @Test
    void fragmentsAreJoinedUpToTheLimitInUtf8Bytes() {
        Fragments message = new Fragments(10);
        assertTrue(message.add("abc"));
        assertTrue(message.add("é€"));
        assertTrue(message.add("ab"));
        assertEquals("abcé€ab", message.text());
        assertFalse(message.add("!"), "3 + 2 + 3 + 2 + 1 = 11 bytes");
    }

    @Test
    void aSurrogatePairSplitAcrossFragmentsCountsAsFourBytes() {
        Fragments message = new Fragments(5);
        String emoji = "😀";
        assertTrue(message.add("a" + emoji.charAt(0)));
        assertTrue(message.add(String.valueOf(emoji.charAt(1))));
        assertEquals("a😀", message.text());
        assertFalse(message.add("b"));
    }

    @Test
    void anEndlessMessageIsRefusedOnceOverTheLimitAndKeepsNothingMore() {
        Fragments message = new Fragments(4096);
        int added = 0;
        while (message.add("x".repeat(1000))) {
            added++;
        }
        assertEquals(4, added);
        assertEquals(4000, message.text().length());
    }
}
