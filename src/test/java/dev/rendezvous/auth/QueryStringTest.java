package dev.rendezvous.auth;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class QueryStringTest {

    @Test
    void escapesAreUtf8AndAPlusIsASpace() {
        Map<String, String[]> parameters = QueryString.parameters("name=Zo%C3%AB+Ann&room=%E4%BC%9A%E8%AD%B0%20%F0%9F%98%80");
        assertArrayEquals(new String[] {"Zoë Ann"}, parameters.get("name"));
        assertArrayEquals(new String[] {"会議 😀"}, parameters.get("room"));
    }

    @Test
    void namesKeepTheirOrderEveryValueAndAnEqualsSignInTheValue() {
        Map<String, String[]> parameters = QueryString.parameters("b=1&a&&b=2=3&%3D=x");
        assertEquals(List.of("b", "a", "="), List.copyOf(parameters.keySet()));
        assertArrayEquals(new String[] {"1", "2=3"}, parameters.get("b"));
        assertArrayEquals(new String[] {""}, parameters.get("a"));
        assertArrayEquals(new String[] {"x"}, parameters.get("="));
    }

    @Test
    void noQueryHasNoParameters() {
        assertEquals(Map.of(), QueryString.parameters(null));
        assertEquals(Map.of(), QueryString.parameters(""));
        assertEquals(Map.of(), QueryString.parameters("&&"));
    }

    @Test
    void whatIsNoEscapeStaysAndWhatIsNoUtf8IsReplaced() {
        assertEquals("100%", QueryString.decode("100%"));
        assertEquals("%z1 %4", QueryString.decode("%z1+%4"));
        assertEquals("%٣٣", QueryString.decode("%٣٣"), "only ASCII hex digits make an escape");
        assertEquals("\uFFFDa", QueryString.decode("%C3a"));
        assertEquals("\uFFFD\uFFFD", QueryString.decode("%FF%FE"));
    }

    @Property
    void whatABrowserEncodesComesBackAsItWas(@ForAll String text) {
        String whole = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertEquals(whole, QueryString.decode(URLEncoder.encode(whole, StandardCharsets.UTF_8)));
    }
}
