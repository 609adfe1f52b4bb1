package dev.stagecraft.platform.api;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves the API as problem+json; nothing escapes as an unexplained 500. */
public class ProblemMappers {
    static final String MALFORMED_BODY = "the request body is not valid JSON for this endpoint";
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem problem) {
        return respond(problem.toProblem());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return respond(new Problem("about:blank", "Bad Request", 400, MALFORMED_BODY,
                List.of(JsonErrors.violationOf(e))));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        int status = e.getResponse().getStatus();
        return respond(new Problem("about:blank", e.getResponse().getStatusInfo().getReasonPhrase(), status,
                e.getMessage(), List.of()));
    }

    /** No token, an expired or forged one: who is asking is unknown. */
    @ServerExceptionMapper({ io.quarkus.security.UnauthorizedException.class,
            io.quarkus.security.AuthenticationFailedException.class })
    public Response unauthenticated(RuntimeException e) {
        return Response.fromResponse(respond(new Problem("about:blank", "Unauthorized", 401,
                "a valid bearer token is required (Authorization: Bearer ...)", List.of())))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(io.quarkus.security.ForbiddenException e) {
        return respond(new Problem("about:blank", "Forbidden", 403, "the token's roles do not allow this", List.of()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected error answering a request", e);
        return respond(new Problem("about:blank", "Internal Server Error", 500,
                "an unexpected error occurred; it has been logged", List.of()));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
