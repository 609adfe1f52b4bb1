package dev.stagecraft.release.api;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import java.util.List;

import dev.stagecraft.platform.api.JsonBodies;
import dev.stagecraft.release.domain.EnvironmentCatalog;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

@Path("/api/v1/environments")
public class EnvironmentResource {
    private final EnvironmentCatalog environments;
    private final JsonBodies bodies;

    public EnvironmentResource(EnvironmentCatalog environments, JsonBodies bodies) {
        this.environments = environments;
        this.bodies = bodies;
    }

    @PUT
    @Path("/{name}")
    public Uni<EnvironmentView> put(@PathParam("name") String name,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = EnvironmentRequest.class))) String body) {
        return environments.put(name, bodies.read(body, EnvironmentRequest.class)).map(EnvironmentView::of);
    }

    @GET
    public Uni<List<EnvironmentView>> list() {
        return environments.list().map(list -> list.stream().map(EnvironmentView::of).toList());
    }
}
