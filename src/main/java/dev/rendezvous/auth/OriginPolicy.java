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
            int given = uri.getPort();
            if (host == null && uri.getRawAuthority() != null) {
                // java.net.URI reads a host name with '_' in it (a container's service name, say) as no host at all.
                String authority = uri.getRawAuthority();
                int colon = authority.lastIndexOf(':');
                host = colon < 0 ? authority : authority.substring(0, colon);
                given = colon < 0 ? -1 : port(authority.substring(colon + 1));
                if (!isHostName(host) || colon >= 0 && given < 0) {
                    return null;
                }
            }
            if (scheme == null || host == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                    && !uri.getRawPath().equals("/") || uri.getRawQuery() != null || uri.getUserInfo() != null) {
                return null;
            }
            int port = given != -1 ? given : switch (scheme) {
                case "http", "ws" -> 80;
                case "https", "wss" -> 443;
                default -> -1;
            };
            return port == -1 ? null : scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** Letters, digits, '-', '_' and dots between labels: a host name as browsers send it in an Origin. */
    private static boolean isHostName(String host) {
        if (host.isEmpty() || host.startsWith(".") || host.endsWith(".") || host.contains("..")) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** A port number 1–65535 written in ASCII digits, or -1. */
    private static int port(String digits) {
        if (digits.isEmpty() || digits.length() > 5) {
            return -1;
        }
        int port = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            port = port * 10 + (c - '0');
        }
        return port >= 1 && port <= 65_535 ? port : -1;
    }
}
