package dev.stagecraft.release.api;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import java.util.List;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.JsonBodies;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.release.domain.Deployments;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/deployments")
public class DeploymentResource {
    private final Deployments deployments;
    private final JsonBodies bodies;

    public DeploymentResource(Deployments deployments, JsonBodies bodies) {
        this.deployments = deployments;
        this.bodies = bodies;
    }

    /** 202 {id, status}: the gates passed and the saga has been asked to start. */
    @POST
    public Uni<Response> request(@RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = DeploymentRequest.class))) String body) {
        return deployments.request(bodies.read(body, DeploymentRequest.class)).map(view -> Response.accepted(view)
                .location(java.net.URI.create("/api/v1/deployments/" + view.id())).build());
    }

    @GET
    @Path("/{id}")
    public Uni<DeploymentView> get(@PathParam("id") String id) {
        return deployments.get(id);
    }

    @GET
    public Uni<List<DeploymentView>> list(@QueryParam("service") String service,
            @QueryParam("environment") String environment, @QueryParam("status") String status) {
        return deployments.list(service, environment, status);
    }

    @POST
    @Path("/{id}/rollback")
    public Uni<Response> rollback(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = OperatorRequestBody.class))) String body) {
        return deployments.stop(id, true, reason(body)).map(v -> Response.accepted(v).build());
    }

    @POST
    @Path("/{id}/abort")
    public Uni<Response> abort(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = OperatorRequestBody.class))) String body) {
        return deployments.stop(id, false, reason(body)).map(v -> Response.accepted(v).build());
    }

    private String reason(String body) {
        OperatorRequestBody request = bodies.read(body, OperatorRequestBody.class);
        return request == null ? null : request.reason();
    }

    /** Approval, promotion, pause and resume belong to strategies and environments this version does not have yet. */
    @POST
    @Path("/{id}/{action: approve|promote|pause|resume}")
    public Uni<Response> notYet(@PathParam("id") String id, @PathParam("action") String action) {
        return deployments.get(id).map(view -> {
            throw ApiProblem.conflict("deployment " + id + " (" + view.strategy().type() + ", " + view.status()
                    + ") has nothing to " + action + ": rolling deployments run batch after batch without pauses or"
                    + " approvals in this version", List.of(new Problem.Violation("action", action)));
        });
    }
}
