package dev.rendezvous.signaling;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;

import java.io.IOException;

/**
 * Puts a {@link LingeringUpgrade} between the container and the WebSocket implementation's upgrade
 * handler of {@code /signal/*}, so that a close the server decides reaches a client that is still sending.
 */
@WebFilter(urlPatterns = "/signal/*", asyncSupported = true)
public class CloseHandshakeFilter extends HttpFilter {

    @Resource
    ManagedScheduledExecutorService timer;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws IOException, ServletException {
                T handler;
                try {
                    handler = handlerClass.getConstructor().newInstance();
                } catch (ReflectiveOperationException | RuntimeException notPlain) {
                    // A handler the container must build itself (injection, no public constructor) goes in as it is.
                    return super.upgrade(handlerClass);
                }
                super.upgrade(LingeringUpgrade.class).delegateTo(handler, timer);
                return handler;
            }
        }, response);
    }
}
