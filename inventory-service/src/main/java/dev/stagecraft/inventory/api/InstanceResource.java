package dev.stagecraft.inventory.api;

import java.util.List;

import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.security.Caller;
import io.quarkus.security.Authenticated;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

@Path("/api/v1/instances")
@Authenticated
public class InstanceResource {
    private final Caller caller;
    private final InstanceDriver driver;

    public InstanceResource(Caller caller, InstanceDriver driver) {
        this.caller = caller;
        this.driver = driver;
    }

    @GET
    @WithSession
    public Uni<List<InstanceView>> list(@QueryParam("service") String service,
            @QueryParam("environment") String environment) {
        caller.requireViewer();
        Uni<List<InstanceEntity>> instances;
        if (service != null && environment != null) {
            instances = InstanceEntity.ofFleet(service, environment);
        } else if (service != null) {
            instances = InstanceEntity.list("service = ?1 order by environment, id", service);
        } else if (environment != null) {
            instances = InstanceEntity.list("environment = ?1 order by service, id", environment);
        } else {
            instances = InstanceEntity.list("order by service, environment, id");
        }
        return instances.map(list -> list.stream().map(i -> InstanceView.of(i, driver)).toList());
    }

    /**
     * What happened to one instance where it runs, oldest first: with the agent driver, every change its hosts
     * reported since this service started (a kill and the agent's restart, a crash loop with each exit, a move off a
     * lost host). 404 for an instance the fleet does not have.
     */
    @GET
    @Path("/{id}/history")
    @WithSession
    public Uni<List<InstanceDriver.ObservedChange>> history(@PathParam("id") String id) {
        caller.requireViewer();
        return InstanceEntity.<InstanceEntity>findById(id).onItem().ifNull()
                .failWith(() -> ApiProblem.notFound("no instance " + id)).map(i -> driver.history(id));
    }
}
