package dev.stagecraft.inventory.api;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import java.time.Instant;
import java.util.regex.Pattern;

import dev.stagecraft.inventory.domain.FleetEvents;
import dev.stagecraft.inventory.domain.FleetTraffic;
import dev.stagecraft.inventory.persistence.FleetEntity;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.JsonBodies;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.platform.security.Caller;
import io.quarkus.security.Authenticated;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * Fleets: how many instances of a service an environment should have, and where their traffic enters
 * ({@code routerUrl}, opened when the fleet is created). Changing replicas takes effect at the next
 * deployment (a first deployment provisions them); this version does not scale a running fleet by itself.
 */
@Path("/api/v1/fleets/{service}/{environment}")
@Authenticated
public class FleetResource {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    static final int MAX_REPLICAS = 100;

    private final JsonBodies bodies;
    private final Caller caller;
    private final FleetTraffic traffic;
    private final FleetEvents events;

    public FleetResource(JsonBodies bodies, Caller caller, FleetTraffic traffic, FleetEvents events) {
        this.bodies = bodies;
        this.caller = caller;
        this.traffic = traffic;
        this.events = events;
    }

    @PUT
    @WithTransaction
    public Uni<FleetView> put(@PathParam("service") String service, @PathParam("environment") String environment,
            @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = FleetRequest.class))) String body) {
        caller.requireDeployer(environment);
        FleetRequest request = bodies.read(body, FleetRequest.class);
        Violations v = new Violations();
        v.require(NAME.matcher(service).matches(), "service", "'" + service
                + "' must be lower-case letters, digits and '-', starting with a letter");
        v.require(NAME.matcher(environment).matches(), "environment", "'" + environment
                + "' must be lower-case letters, digits and '-', starting with a letter");
        if (request == null || request.replicas() == null) {
            v.add("replicas", "is required");
        } else if (request.replicas() < 0 || request.replicas() > MAX_REPLICAS) {
            v.add("replicas", "must be between 0 and " + MAX_REPLICAS + ", was " + request.replicas());
        }
        v.throwIfAny("the fleet is not valid");
        return FleetEntity.find(service, environment).chain(existing -> {
            FleetEntity fleet = existing != null ? existing : new FleetEntity();
            fleet.service = service;
            fleet.environment = environment;
            fleet.replicas = request.replicas();
            fleet.updatedAt = Instant.now();
            return (existing != null ? Uni.createFrom().item(fleet) : fleet.<FleetEntity>persist())
                    .call(saved -> traffic.open(saved))
                    .call(saved -> events.publish(service, environment)).chain(this::view);
        });
    }

    @GET
    @WithSession
    public Uni<FleetView> get(@PathParam("service") String service, @PathParam("environment") String environment) {
        caller.requireViewer();
        return FleetEntity.find(service, environment).onItem().ifNull()
                .failWith(() -> ApiProblem.notFound("no fleet of " + service + " in " + environment))
                .chain(this::view);
    }

    private Uni<FleetView> view(FleetEntity fleet) {
        String routerUrl = traffic.routerUrl(fleet.service, fleet.environment).orElse(null);
        return InstanceEntity.ofFleet(fleet.service, fleet.environment).map(instances -> new FleetView(fleet.service,
                fleet.environment, fleet.replicas, routerUrl, instances.stream().map(InstanceView::of).toList()));
    }

}
