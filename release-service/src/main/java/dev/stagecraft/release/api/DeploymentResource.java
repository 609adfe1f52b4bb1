package dev.stagecraft.release.api;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import java.util.List;

import dev.stagecraft.platform.api.JsonBodies;
import dev.stagecraft.platform.security.Caller;
import io.quarkus.security.Authenticated;
import dev.stagecraft.release.domain.DeploymentApprovals;
import dev.stagecraft.release.domain.DeploymentSteering;
import dev.stagecraft.release.domain.Deployments;
import dev.stagecraft.release.domain.GuardedActions;
import dev.stagecraft.release.domain.Steering;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/deployments")
@Authenticated
public class DeploymentResource {
    private final GuardedActions actions;
    private final Deployments deployments;
    private final DeploymentApprovals approvals;
    private final DeploymentSteering steering;
    private final JsonBodies bodies;
    private final Caller caller;

    public DeploymentResource(GuardedActions actions, Deployments deployments, DeploymentApprovals approvals,
            DeploymentSteering steering, JsonBodies bodies, Caller caller) {
        this.actions = actions;
        this.deployments = deployments;
        this.approvals = approvals;
        this.steering = steering;
        this.bodies = bodies;
        this.caller = caller;
    }

    /** 202 {id, status}: the gates passed; the saga has been asked to start, or the deployment waits (approval, queue). */
    @POST
    public Uni<Response> request(@RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = DeploymentRequest.class))) String body) {
        return actions.requestDeployment(caller.grants(), body)
                .map(view -> Response.accepted(view).location(java.net.URI.create("/api/v1/deployments/" + view.id()))
                        .build());
    }

    @GET
    @Path("/{id}")
    public Uni<DeploymentView> get(@PathParam("id") String id) {
        caller.requireViewer();
        return deployments.get(id);
    }

    @GET
    public Uni<List<DeploymentView>> list(@QueryParam("service") String service,
            @QueryParam("environment") String environment, @QueryParam("status") String status) {
        caller.requireViewer();
        return deployments.list(service, environment, status);
    }

    /** 202: approved by someone other than the requester; the saga starts unless the deployment is queued. */
    @POST
    @Path("/{id}/approve")
    public Uni<Response> approve(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApprovalBody.class))) String body) {
        ApprovalBody approval = bodies.read(body, ApprovalBody.class);
        return actions.approve(caller.grants(), id, approval == null ? null : approval.comment())
                .map(v -> Response.accepted(v).build());
    }

    /** 200: the deployment ended REJECTED; {@code reason} is required. */
    @POST
    @Path("/{id}/reject")
    public Uni<DeploymentView> reject(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = OperatorRequestBody.class))) String body) {
        String reason = reason(body);
        return actions.inEnvironmentOf(id, caller::requireApprover).chain(() -> approvals.reject(id, caller.name(), reason));
    }

    @POST
    @Path("/{id}/rollback")
    public Uni<Response> rollback(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = OperatorRequestBody.class))) String body) {
        String reason = reason(body);
        return actions.inEnvironmentOf(id, caller::requireDeployer)
                .chain(() -> deployments.stop(id, true, reason, caller.name())).map(v -> Response.accepted(v).build());
    }

    @POST
    @Path("/{id}/abort")
    public Uni<Response> abort(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = OperatorRequestBody.class))) String body) {
        String reason = reason(body);
        return actions.inEnvironmentOf(id, caller::requireDeployer)
                .chain(() -> deployments.stop(id, false, reason, caller.name())).map(v -> Response.accepted(v).build());
    }

    private String reason(String body) {
        OperatorRequestBody request = bodies.read(body, OperatorRequestBody.class);
        return request == null ? null : request.reason();
    }

    /** 202: the saga is asked to hold at its current step (canary and blue-green, while IN_PROGRESS). */
    @POST
    @Path("/{id}/pause")
    public Uni<Response> pause(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = OperatorRequestBody.class))) String body) {
        return steer(id, Steering.PAUSE, false, reason(body));
    }

    /** 202: a PAUSED saga is asked to go on. */
    @POST
    @Path("/{id}/resume")
    public Uni<Response> resume(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = OperatorRequestBody.class))) String body) {
        return steer(id, Steering.RESUME, false, reason(body));
    }

    /** 202: the saga is asked to move to its next step now, or with {@code full} all the way. */
    @POST
    @Path("/{id}/promote")
    public Uni<Response> promote(@PathParam("id") String id, @QueryParam("full") String full,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = PromoteBody.class))) String body) {
        PromoteBody request = bodies.read(body, PromoteBody.class);
        return steer(id, Steering.PROMOTE, PromoteBody.full(request, full), request == null ? null : request.reason());
    }

    /** The same role as rollback and abort: a deployer of the deployment's environment. */
    private Uni<Response> steer(String id, Steering action, boolean full, String reason) {
        return actions.inEnvironmentOf(id, caller::requireDeployer)
                .chain(() -> steering.ask(id, action, full, reason, caller.name()))
                .map(v -> Response.accepted(v).build());
    }
}
