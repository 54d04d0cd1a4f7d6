package dev.rendezvous.it.stale;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * {@code /stale/victim} upgrades to a {@link ClosingUpgrade} that writes straight to the container's
 * stream, with nothing of the product between; {@code /stale/probe} is the next socket: held while
 * another response serves it, upgraded after the late write when the victim's response serves it.
 */
@WebServlet(urlPatterns = "/stale/*", asyncSupported = true)
public class StaleServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        Stage stage = Stage.of(getServletContext());
        if ("/victim".equals(request.getPathInfo())) {
            ClosingUpgrade handler = upgrade(request, response);
            stage.victim(response, () -> handler.connection().getOutputStream(), request.getParameter("mark"));
            return;
        }
        String lateWrite;
        try {
            lateWrite = stage.lateWriteIfVictim(response);
            if (lateWrite == null) {
                // Committed now, so the client knows to open the next probe while this one keeps its thread.
                response.setHeader("X-Stale", "held");
                response.setContentLength(0);
                response.flushBuffer();
                stage.hold();
                return;
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            throw new ServletException(stopping);
        }
        response.setHeader("X-Stale-Late-Write", lateWrite);
        upgrade(request, response);
    }

    private static ClosingUpgrade upgrade(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        response.setStatus(HttpServletResponse.SC_SWITCHING_PROTOCOLS);
        response.setHeader("Upgrade", "stale");
        response.setHeader("Connection", "Upgrade");
        ClosingUpgrade handler = request.upgrade(ClosingUpgrade.class);
        // As Tyrus does: the container sends the 101 when the response is flushed, not when the request ends.
        response.flushBuffer();
        return handler;
    }
}
