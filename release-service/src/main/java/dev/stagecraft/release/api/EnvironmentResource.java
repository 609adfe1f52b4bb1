package dev.stagecraft.release.api;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import java.util.List;

import dev.stagecraft.platform.api.JsonBodies;
import dev.stagecraft.platform.security.Caller;
import io.quarkus.security.Authenticated;
import dev.stagecraft.release.domain.EnvironmentCatalog;
import dev.stagecraft.release.domain.EnvironmentHistory;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

@Path("/api/v1/environments")
@Authenticated
public class EnvironmentResource {
    private final EnvironmentCatalog environments;
    private final EnvironmentHistory history;
    private final JsonBodies bodies;
    private final Caller caller;

    public EnvironmentResource(EnvironmentCatalog environments, EnvironmentHistory history, JsonBodies bodies,
            Caller caller) {
        this.environments = environments;
        this.history = history;
        this.bodies = bodies;
        this.caller = caller;
    }

    /** 200 the environment as stored, secrets shown as "***"; the change is audited with what it changed. */
    @PUT
    @Path("/{name}")
    public Uni<EnvironmentView> put(@PathParam("name") String name,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = EnvironmentRequest.class))) String body) {
        caller.requireAdmin();
        return environments.put(name, bodies.read(body, EnvironmentRequest.class), caller.name()).map(EnvironmentView::of);
    }

    @GET
    public Uni<List<EnvironmentView>> list() {
        caller.requireViewer();
        return environments.list().map(list -> list.stream().map(EnvironmentView::of).toList());
    }

    /**
     * The environment's deployments and feature flag changes, newest first; {@code service} narrows it, {@code limit}
     * 1–500 (100). 404 for an unknown environment.
     */
    @GET
    @Path("/{name}/history")
    public Uni<List<EnvironmentHistoryEntry>> history(@PathParam("name") String name,
            @QueryParam("service") String service, @QueryParam("limit") String limit) {
        caller.requireViewer();
        return history.of(name, service, limit);
    }
}
