package dev.stagecraft.release.api;

import java.net.URI;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import dev.stagecraft.platform.api.JsonBodies;
import dev.stagecraft.platform.security.Caller;
import dev.stagecraft.release.domain.FleetUndo;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * Undo: deploy the fleet's last stable release again, as a deployment of its own (202 with its view, like
 * {@code POST /api/v1/deployments}). Lives here rather than on inventory-service because release-service owns
 * the releases, the deployments and their gates.
 */
@Path("/api/v1/fleets/{service}/{environment}/undo")
@Authenticated
public class FleetUndoResource {
    private final FleetUndo undo;
    private final JsonBodies bodies;
    private final Caller caller;

    public FleetUndoResource(FleetUndo undo, JsonBodies bodies, Caller caller) {
        this.undo = undo;
        this.bodies = bodies;
        this.caller = caller;
    }

    @POST
    public Uni<Response> undo(@PathParam("service") String service, @PathParam("environment") String environment,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = UndoBody.class))) String body) {
        caller.grants().requireDeployer(environment);
        UndoBody request = body == null || body.isBlank() ? null : bodies.read(body, UndoBody.class);
        return undo.undo(caller.grants(), service, environment, request)
                .map(view -> Response.accepted(view).location(URI.create("/api/v1/deployments/" + view.id())).build());
    }
}
