package dev.rendezvous.signaling;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.util.CharChunk;
import org.glassfish.grizzly.http.util.Parameters;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parameter scratch of a real Grizzly request, reached the way Payara's facade holds it. */
class UpgradeScratchTest {

    /** Payara's shape: a facade whose {@code request} field holds an object that answers {@code getCoyoteRequest()}. */
    static class Facade extends HttpServletRequestWrapper {

        @SuppressWarnings("unused")
        private final Connector request;

        Facade(Request grizzly) {
            super(plain());
            request = new Connector(grizzly);
        }
    }

    /** Catalina's connector request, as far as the way there goes. */
    public static class Connector {

        private final Request grizzly;

        Connector(Request grizzly) {
            this.grizzly = grizzly;
        }

        public Request getCoyoteRequest() {
            return grizzly;
        }
    }

    private static HttpServletRequest plain() {
        return (HttpServletRequest) Proxy.newProxyInstance(UpgradeScratchTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static CharChunk scratch(Parameters parameters, String name) throws ReflectiveOperationException {
        Field field = Parameters.class.getDeclaredField(name);
        field.setAccessible(true);
        return (CharChunk) field.get(parameters);
    }

    @Test
    void anUpgradedGrizzlyRequestLetsGoOfItsParameterScratch() throws Exception {
        Request grizzly = Request.create();
        Parameters parameters = grizzly.getParameters();
        assertEquals(1024, scratch(parameters, "tmpNameC").getBuffer().length, "Grizzly allocates it with the request");

        assertTrue(UpgradeScratch.release(new Facade(grizzly)));

        assertNull(scratch(parameters, "tmpNameC").getBuffer());
        assertNull(scratch(parameters, "tmpValueC").getBuffer());
    }

    @Test
    void aRequestLetGoOfStillParsesParametersWhenReused() throws Exception {
        Request grizzly = Request.create();
        Parameters parameters = grizzly.getParameters();
        // Under the handshake filter's own wrapper, as it is passed on.
        assertTrue(UpgradeScratch.release(new HttpServletRequestWrapper(new Facade(grizzly))));

        parameters.setQueryStringEncoding(StandardCharsets.UTF_8);
        char[] query = "name=Ann%20Lee&room=r%C3%A9".toCharArray();
        parameters.processParameters(query, 0, query.length);

        assertEquals("Ann Lee", parameters.getParameter("name"));
        assertArrayEquals(new String[] {"ré"}, parameters.getParameterValues("room"));
        assertNotNull(scratch(parameters, "tmpNameC").getBuffer(), "a parse allocates afresh");
    }

    @Test
    void anotherContainersRequestIsLeftAsItIs() {
        assertFalse(UpgradeScratch.release(plain()));
        assertFalse(UpgradeScratch.release(new HttpServletRequestWrapper(plain())));
    }
}
