package dev.rendezvous.signaling;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What {@code /signal/*} answers a request that is not a WebSocket handshake: HTTP 426 and the
 * protocol to switch to (RFC 9110, 15.5.22). A handshake never gets here; the container's upgrade
 * filter takes it first.
 *
 * <p>Mapped for joins' sake too: a path no servlet claims is looked up in the WAR's files first,
 * for every connection, and the miss costs the container an exception.
 */
@WebServlet(urlPatterns = "/signal/*", asyncSupported = true)
public class UpgradeRequired extends HttpServlet {

    private static final byte[] TEXT = "This is a WebSocket endpoint: open it with a WebSocket client (ws:// or wss://).\n"
            .getBytes(StandardCharsets.UTF_8);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(426);
        response.setHeader("Upgrade", "websocket");
        response.setHeader("Sec-WebSocket-Version", "13");
        // Grizzly takes a response that names an upgrade for one, and sends it with no length: the
        // connection's end is what ends the body.
        response.setHeader("Connection", "close");
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(TEXT.length);
        response.getOutputStream().write(TEXT);
    }
}
