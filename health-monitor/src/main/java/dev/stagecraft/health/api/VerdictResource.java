package dev.stagecraft.health.api;

import java.util.List;

import dev.stagecraft.health.domain.Verdicts;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.platform.security.Caller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

/** The verdicts reached for each deployment, in the order they were reached. Any Stagecraft role may read them. */
@Path("/api/v1/verdicts")
@Authenticated
public class VerdictResource {
    private final Verdicts verdicts;
    private final Caller caller;

    public VerdictResource(Verdicts verdicts, Caller caller) {
        this.verdicts = verdicts;
        this.caller = caller;
    }

    /** The deployment is required: listing every verdict ever reached helps nobody and grows without bound. */
    @GET
    public Uni<List<VerdictView>> list(@QueryParam("deployment") String deployment) {
        caller.requireViewer();
        new Violations()
                .require(deployment != null && !deployment.isBlank(), "deployment", "is required: the deployment id")
                .throwIfAny("say which deployment's verdicts to list");
        return verdicts.ofDeployment(deployment);
    }

    @GET
    @Path("/{id}")
    public Uni<VerdictView> get(@PathParam("id") String id) {
        caller.requireViewer();
        return verdicts.get(id).onItem().ifNull().failWith(() -> ApiProblem.notFound("no verdict " + id));
    }
}
