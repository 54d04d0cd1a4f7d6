import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The image's HEALTHCHECK: exits 0 when the readiness URL answers 200, 1 otherwise. The base image
 * has no curl (nor, depending on its build, wget or bash), but always the JDK that runs Payara
 * Micro, which runs this single source file as it is: {@code java HealthProbe.java URL}.
 */
public final class HealthProbe {

    private HealthProbe() {
    }

    public static void main(String[] args) {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080/health/ready";
        int status;
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
            status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            System.err.println("not ready: " + url + ": " + e);
            System.exit(1);
            return;
        }
        if (status != 200) {
            System.err.println("not ready: " + url + " answered " + status);
            System.exit(1);
        }
    }
}
