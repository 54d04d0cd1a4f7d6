package dev.rendezvous.it.stale;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A bare upgraded connection that closes itself, on the container's reading thread, when the client
 * sends a byte or goes away; until then it writes nothing.
 */
public class ClosingUpgrade implements HttpUpgradeHandler {

    private static final Logger LOG = Logger.getLogger(ClosingUpgrade.class.getName());

    private volatile WebConnection connection;

    /** The connection the container gave this handler. */
    WebConnection connection() {
        return connection;
    }

    @Override
    public void init(WebConnection wc) {
        connection = wc;
        try {
            ServletInputStream in = wc.getInputStream();
            in.setReadListener(new ReadListener() {
                @Override
                public void onDataAvailable() throws IOException {
                    if (in.isReady() && in.read() >= 0) {
                        close();
                    }
                }

                @Override
                public void onAllDataRead() {
                    close();
                }

                @Override
                public void onError(Throwable failure) {
                    close();
                }
            });
        } catch (IOException e) {
            close();
        }
    }

    private void close() {
        try {
            connection.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Close failed; the connection is already gone", e);
        }
    }

    @Override
    public void destroy() {
        // Nothing of its own to release.
    }
}
