package dev.rendezvous.ops;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** What the administration API answers a request it cannot carry out: {@code {"error": CODE, "message": …}}. */
@JsonbPropertyOrder({"error", "message"})
public record AdminProblem(Code error, String message) {

    /** The error codes, each with its HTTP status. */
    public enum Code {
        /** The admin token is missing or wrong. */
        UNAUTHORIZED(401),
        /** The request is malformed: a bad room name, a body that is not the documented JSON or that comes with an {@code Upgrade}. */
        BAD_REQUEST(400),
        /** The room has no members (a room exists only while it has some). */
        NO_SUCH_ROOM(404),
        /** The room has no member with that id. */
        NO_SUCH_MEMBER(404),
        /** Tokens cannot be minted: {@code signaling.auth.secret} is not set. */
        TOKENS_OFF(409),
        /** No operation has that path. */
        NOT_FOUND(404),
        /** The path has operations, but not for that method. */
        METHOD_NOT_ALLOWED(405),
        /** The request's {@code Accept} rules out JSON. */
        NOT_ACCEPTABLE(406);

        private final int status;

        Code(int status) {
            this.status = status;
        }
    }

    static Response of(Code code, String message) {
        Response.ResponseBuilder response = Response.status(code.status).type(MediaType.APPLICATION_JSON)
                .entity(new AdminProblem(code, message));
        if (code == Code.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.build();
    }
}
