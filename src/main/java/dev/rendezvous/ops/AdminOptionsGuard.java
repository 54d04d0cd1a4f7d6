package dev.rendezvous.ops;

import jakarta.annotation.Priority;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * {@link AdminGuard} for {@code OPTIONS}, which the Jakarta REST implementation answers itself (the
 * {@code Allow} list, and on Jersey a WADL document) without a method of {@link AdminResource}, so
 * that a guard keyed on the matched resource never sees it; RESTEasy runs no post-matching filter
 * for it at all. Before matching, so it goes by the path: any {@code OPTIONS} under {@code admin},
 * however many slashes or dot segments spell it, needs the token like every other method.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class AdminOptionsGuard implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod()) || !underAdmin(request.getUriInfo().getPath())) {
            return;
        }
        Response refusal = AdminGuard.refusal(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (refusal != null) {
            request.abortWith(refusal);
        }
    }

    /**
     * Whether {@code path} (relative to the application, decoded) is {@code admin} or below it, read
     * as matching reads it: empty and dot segments resolved, matrix parameters left out.
     */
    static boolean underAdmin(String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            String name = segment.split(";", 2)[0];
            if (name.equals("..")) {
                segments.pollLast();
            } else if (!name.isEmpty() && !name.equals(".")) {
                segments.add(name);
            }
        }
        return "admin".equals(segments.peekFirst());
    }
}
