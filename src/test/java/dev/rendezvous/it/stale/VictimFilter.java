package dev.rendezvous.it.stale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import java.io.IOException;
import java.lang.reflect.Field;

/**
 * Makes a signaling connection that carries {@code ?stale=MARK} the round's victim, its stream the one
 * the WebSocket implementation writes to: the {@link WebConnection} the product's upgrade path handed
 * to Tyrus's upgrade handler, whichever side of the product's filter this one runs.
 */
@WebFilter(urlPatterns = "/signal/*", asyncSupported = true)
public class VictimFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String mark = request.getParameter("stale");
        if (mark == null) {
            chain.doFilter(request, response);
            return;
        }
        Stage stage = Stage.of(request.getServletContext());
        Object[] upgraded = new Object[1];
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws IOException, ServletException {
                T handler = super.upgrade(handlerClass);
                upgraded[0] = handler;
                return handler;
            }
        }, response);
        if (upgraded[0] != null) {
            // Tyrus's handler, found now: once the connection is over the product's wrapper lets go of it, and
            // what the round models is Tyrus's writer, which keeps its stream.
            Object tyrus = implementationOf(upgraded[0]);
            stage.victim(response, () -> outputOf(tyrus), mark);
        }
    }

    /** The product's wrapper keeps Tyrus's handler in {@code delegate}, set by the time the handshake's filters return. */
    private static Object implementationOf(Object handler) {
        try {
            Object delegate = field(handler, "delegate");
            return delegate != null ? delegate : handler;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("No implementation's handler in " + handler, e);
        }
    }

    /** Tyrus's handler keeps its connection in {@code wc}. */
    private static ServletOutputStream outputOf(Object handler) throws IOException {
        try {
            return ((WebConnection) field(handler, "wc")).getOutputStream();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("No upgraded connection in " + handler, e);
        }
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        for (Class<?> type = owner.getClass(); type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.getName().equals(name)) {
                    field.setAccessible(true);
                    return field.get(owner);
                }
            }
        }
        return null;
    }
}
