package dev.rendezvous.signaling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class FragmentsTest {

    @Test
    void fragmentsAreJoinedUpToTheLimitInUtf8Bytes() {
        Fragments messages = new Fragments(10);
        assertNull(messages.add("abc", false));
        assertNull(messages.add("é€", false));
        assertEquals("abcé€ab", messages.add("ab", true), "3 + 2 + 3 + 2 = 10 bytes");
        assertNull(messages.add("abc", false));
        assertNull(messages.add("é€", false));
        assertSame(Fragments.OVER_LIMIT, messages.add("ab!", true), "3 + 2 + 3 + 3 = 11 bytes");
    }

    @Test
    void aMessageInOneFrameIsGivenBackAsItIsWhateverItsSize() {
        Fragments messages = new Fragments(4);
        String whole = "a whole message over the limit, for the decoder to refuse";
        assertSame(whole, messages.add(whole, true));
    }

    @Test
    void aSurrogatePairSplitAcrossFragmentsCountsAsFourBytes() {
        Fragments messages = new Fragments(5);
        String emoji = "😀";
        assertNull(messages.add("a" + emoji.charAt(0), false));
        assertEquals("a😀", messages.add(String.valueOf(emoji.charAt(1)), true));
        assertNull(messages.add("a" + emoji.charAt(0), false));
        assertNull(messages.add(String.valueOf(emoji.charAt(1)), false));
        assertSame(Fragments.OVER_LIMIT, messages.add("b", true));
    }

    @Test
    void anEndlessMessageIsRefusedOnceOverTheLimitAndTheNextFrameStartsAnew() {
        Fragments messages = new Fragments(4096);
        int added = 0;
        String result;
        while ((result = messages.add("x".repeat(1000), false)) == null) {
            added++;
        }
        assertSame(Fragments.OVER_LIMIT, result);
        assertEquals(4, added);
        assertNull(messages.add("y", false), "what came before was dropped");
        assertEquals("yz", messages.add("z", true));
    }
}
