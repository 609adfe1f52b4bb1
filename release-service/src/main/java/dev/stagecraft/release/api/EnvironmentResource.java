package dev.stagecraft.release.api;

import java.util.List;

import dev.stagecraft.release.domain.EnvironmentCatalog;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

@Path("/api/v1/environments")
public class EnvironmentResource {
    private final EnvironmentCatalog environments;

    public EnvironmentResource(EnvironmentCatalog environments) {
        this.environments = environments;
    }

    @PUT
    @Path("/{name}")
    public Uni<EnvironmentView> put(@PathParam("name") String name, EnvironmentRequest request) {
        return environments.put(name, request).map(EnvironmentView::of);
    }

    @GET
    public Uni<List<EnvironmentView>> list() {
        return environments.list().map(list -> list.stream().map(EnvironmentView::of).toList());
    }
}
