package dev.rendezvous.auth;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which page origins may open a signaling socket: the server's own (the origin whose host and port
 * are the request's {@code Host}), any listed, or all with {@code *}. A request without an
 * {@code Origin} header is not from a browser page and is let through: forging one is trivial
 * outside a browser, so the check only protects browsers.
 */
public final class OriginPolicy {

    private final boolean any;
    private final Set<String> allowed = new HashSet<>();

    public OriginPolicy(List<String> origins) {
        any = origins.contains("*");
        for (String origin : origins) {
            if (!origin.equals("*")) {
                String normal = normalize(origin);
                if (normal == null) {
                    throw new IllegalStateException("signaling.origins entries must look like https://host[:port] or *, was " + origin);
                }
                allowed.add(normal);
            }
        }
    }

    public boolean allows(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        String normal = normalize(origin);
        if (normal == null) {
            return false;
        }
        return allowed.contains(normal) || host != null && normal.equals(normalize(schemeOf(normal) + "://" + host));
    }

    private static String schemeOf(String normal) {
        return normal.substring(0, normal.indexOf(':'));
    }

    /** {@code scheme://host:port} with the default port filled in, or {@code null} if it is not an origin. */
    static String normalize(String origin) {
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost();
            if (scheme == null || host == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                    && !uri.getRawPath().equals("/") || uri.getRawQuery() != null || uri.getUserInfo() != null) {
                return null;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : switch (scheme) {
                case "http", "ws" -> 80;
                case "https", "wss" -> 443;
                default -> -1;
            };
            return port == -1 ? null : scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
