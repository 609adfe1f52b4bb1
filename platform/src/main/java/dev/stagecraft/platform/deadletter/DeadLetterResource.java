package dev.stagecraft.platform.deadletter;

import java.util.List;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.security.Caller;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * Every service's dead letters, for operators: what could not be applied and why, and a way to send a record back
 * to its topic once the cause is mended. Admins only: dead letters carry whole payloads.
 */
@Path("/api/v1/dead-letters")
@Authenticated
public class DeadLetterResource {
    private final DeadLetters deadLetters;
    private final Caller caller;

    public DeadLetterResource(DeadLetters deadLetters, Caller caller) {
        this.deadLetters = deadLetters;
        this.caller = caller;
    }

    @GET
    public List<DeadLetter> list(@QueryParam("limit") @DefaultValue("100") int limit) {
        caller.requireAdmin();
        if (limit < 1 || limit > 1000) {
            throw ApiProblem.badRequest("limit must be between 1 and 1000",
                    List.of(new Problem.Violation("limit", "must be between 1 and 1000")));
        }
        return deadLetters.newest(limit);
    }

    @GET
    @Path("/{id}")
    public DeadLetter get(@PathParam("id") long id) {
        caller.requireAdmin();
        return deadLetters.get(id).orElseThrow(() -> ApiProblem.notFound("no dead letter " + id));
    }

    /** Sends the dead letter back to the topic it came from; 202, for its consumer applies it in its own time. */
    @POST
    @Path("/{id}/redrive")
    public Response redrive(@PathParam("id") long id) {
        caller.requireAdmin();
        DeadLetter sent = deadLetters.redrive(id, caller.name())
                .orElseThrow(() -> ApiProblem.notFound("no dead letter " + id));
        return Response.accepted(sent).build();
    }
}
