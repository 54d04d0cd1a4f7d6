package dev.rendezvous.ops;

import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Answers a request under {@code /api/admin} that matched no operation (an unknown path, a method
 * the path does not take, an {@code Accept} the API cannot meet) with the API's JSON error rather
 * than the container's HTML page; the token is checked first, so without it the answer is 401, as
 * everywhere else in the API. Requests outside the API keep the container's answer.
 */
public class AdminRoutingErrors implements ExceptionMapper<ClientErrorException> {

    @Context
    UriInfo uri;

    @Context
    HttpHeaders headers;

    @Override
    public Response toResponse(ClientErrorException unmatched) {
        Response original = unmatched.getResponse();
        String path = uri.getPath();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (!path.equals("admin") && !path.startsWith("admin/")) {
            return original;
        }
        Response refusal = AdminGuard.refusal(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (refusal != null) {
            return refusal;
        }
        return switch (original.getStatus()) {
            case 404 -> AdminProblem.of(AdminProblem.Code.NOT_FOUND, "no operation at /api/" + path + " (see docs/ADMIN.md)");
            case 405 -> Response.fromResponse(AdminProblem.of(AdminProblem.Code.METHOD_NOT_ALLOWED,
                    "/api/" + path + " takes " + String.join(", ", original.getAllowedMethods())))
                    .allow(original.getAllowedMethods()).build();
            case 406 -> AdminProblem.of(AdminProblem.Code.NOT_ACCEPTABLE, "the administration API answers application/json only");
            default -> AdminProblem.of(AdminProblem.Code.BAD_REQUEST, unmatched.getMessage());
        };
    }
}
