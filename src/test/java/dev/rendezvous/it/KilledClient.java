package dev.rendezvous.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CountDownLatch;

/** A client in a process of its own, joined and idle until the test kills it with SIGKILL. */
public final class KilledClient {

    private KilledClient() {
    }

    public static void main(String[] args) throws Exception {
        HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(args[0]), new WebSocket.Listener() { }).join();
        new CountDownLatch(1).await();
    }
}
