package dev.rendezvous.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.websocket.Session;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection's client address as the handshake saw it, carried to the endpoint as a parameter
 * of the upgrade request: {@link Session#getRequestParameterMap} is the per-connection value the
 * WebSocket API passes on portably. Whatever a client sends under the same name is replaced.
 *
 * <p>Not the session's user principal, which would also carry it: Payara sets up a security
 * context around every message callback of a session that has a principal, and that was a fifth
 * of the server's CPU per relayed message.
 */
public final class ClientAddress {

    /** The request parameter that holds it; no client's value under this name survives the handshake filter. */
    public static final String PARAMETER = "rendezvous.client-address";
    private static final String UNKNOWN = "unknown";

    private ClientAddress() {
    }

    /** The address the handshake filter recorded for this session's connection. */
    public static String of(Session session) {
        List<String> values = session.getRequestParameterMap().get(PARAMETER);
        return values == null || values.isEmpty() ? UNKNOWN : values.get(0);
    }

    /**
     * A request seen with {@link #PARAMETER} set to its remote address, and its other parameters read
     * from its query as {@link QueryString} reads them, the same on every container. The WebSocket implementation
     * keeps the request it upgraded (and so this view) for the connection's life, after copying the
     * parameters once: the view holds the address alone and builds the rest when asked. Open to a
     * handshake filter that also changes something else of the request, in the same one wrapper.
     */
    public static class Attached extends HttpServletRequestWrapper {

        private final String address;

        public Attached(HttpServletRequest request) {
            super(request);
            address = request.getRemoteAddr();
        }

        @Override
        public String getParameter(String name) {
            String[] values = getParameterValues(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public String[] getParameterValues(String name) {
            if (PARAMETER.equals(name)) {
                return new String[] {address};
            }
            String[] values = QueryString.parameters(getQueryString()).get(name);
            return values == null ? null : values.clone();
        }

        /** The query's parameters as {@link QueryString} reads them, not as the container did, and {@link #PARAMETER}. */
        @Override
        public Map<String, String[]> getParameterMap() {
            Map<String, String[]> parameters = new LinkedHashMap<>(QueryString.parameters(getQueryString()));
            parameters.put(PARAMETER, new String[] {address});
            return Collections.unmodifiableMap(parameters);
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(getParameterMap().keySet());
        }
    }
}
