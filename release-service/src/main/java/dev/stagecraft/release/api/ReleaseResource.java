package dev.stagecraft.release.api;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import java.net.URI;
import java.util.List;

import dev.stagecraft.platform.security.Caller;
import io.quarkus.security.Authenticated;
import dev.stagecraft.release.domain.GuardedActions;
import dev.stagecraft.release.domain.ReleaseCatalog;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/releases")
@Authenticated
public class ReleaseResource {
    private final ReleaseCatalog releases;
    private final GuardedActions actions;
    private final Caller caller;

    public ReleaseResource(ReleaseCatalog releases, GuardedActions actions, Caller caller) {
        this.releases = releases;
        this.actions = actions;
        this.caller = caller;
    }

    /** 201 with the release; 409 if that version exists (releases are immutable); 422 if the artifact does not match. */
    @POST
    public Uni<Response> create(@RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = ReleaseRequest.class))) String body) {
        return actions.createRelease(caller.grants(), body).map(r -> Response
                .created(URI.create("/api/v1/releases/" + r.service + "/" + r.version))
                .entity(ReleaseView.of(r)).build());
    }

    @GET
    public Uni<List<ReleaseView>> list(@QueryParam("service") String service) {
        caller.requireViewer();
        return releases.list(service).map(list -> list.stream().map(ReleaseView::of).toList());
    }

    @GET
    @Path("/{service}/{version}")
    public Uni<ReleaseView> get(@PathParam("service") String service, @PathParam("version") String version) {
        caller.requireViewer();
        return releases.get(service, version).map(ReleaseView::of);
    }
}
