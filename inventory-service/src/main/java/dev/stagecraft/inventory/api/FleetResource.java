package dev.stagecraft.inventory.api;

import java.time.Instant;
import java.util.regex.Pattern;

import java.util.List;
import java.util.Map;

import dev.stagecraft.inventory.domain.FleetDeployments;
import dev.stagecraft.inventory.domain.FleetEvents;
import dev.stagecraft.inventory.domain.FleetLocks;
import dev.stagecraft.inventory.domain.FleetScaler;
import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.platform.api.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import dev.stagecraft.inventory.domain.FleetTraffic;
import dev.stagecraft.inventory.persistence.FleetEntity;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.JsonBodies;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.platform.security.Caller;
import io.quarkus.security.Authenticated;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * Fleets: how many instances of a service an environment should have, and where their traffic enters
 * ({@code routerUrl}, opened when the fleet is created). A new {@code replicas} of a fleet in service (no deployment
 * running) scales it there and then ({@link FleetScaler}); while a deployment runs it is refused with 409, since the
 * saga owns the fleet's instances. A fleet without instances keeps the number for its first deployment.
 */
@Path("/api/v1/fleets/{service}/{environment}")
@Authenticated
public class FleetResource {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    /**
     * The largest fleet the scale benchmark deploys (10,000 simulated instances, docs/performance.md): nothing larger
     * was tried. Beyond it, a step's events, which list every instance with its release (about 0.9 KB each), near the
     * broker's 1 MB limit per record even compressed. Real instances run out of hosts long before (a JVM each); the
     * agent-run routers hold any size (an agent hands a table beyond HAProxy's 4,095 slots to its router process;
     * inventory-service's own HAProxy router grows a fleet to at most 4,095 slots).
     */
    static final int MAX_REPLICAS = 10_000;

    private final JsonBodies bodies;
    private final Caller caller;
    private final FleetTraffic traffic;
    private final FleetEvents events;
    private final FleetDeployments deployments;
    private final FleetScaler scaler;
    private final FleetLocks locks;
    private final InstanceDriver driver;

    public FleetResource(JsonBodies bodies, Caller caller, FleetTraffic traffic, FleetEvents events,
            FleetDeployments deployments, FleetScaler scaler, FleetLocks locks, InstanceDriver driver) {
        this.bodies = bodies;
        this.caller = caller;
        this.traffic = traffic;
        this.events = events;
        this.deployments = deployments;
        this.scaler = scaler;
        this.locks = locks;
        this.driver = driver;
    }

    /** How long a PUT waits for a change of the fleet under way (a saga step) before it answers 409. */
    private static final java.time.Duration CHANGE_PATIENCE = java.time.Duration.ofSeconds(5);

    @PUT
    public Uni<FleetView> put(@PathParam("service") String service, @PathParam("environment") String environment,
            String body) {
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
        return locks.tryHold(service, environment, CHANGE_PATIENCE).chain(held -> {
            if (!held) {
                throw ApiProblem.conflict("the fleet of " + service + " in " + environment + " is being changed (a"
                        + " step of a deployment, a scale, or instances placed again); try again when that is done",
                        List.of(new Problem.Violation("replicas", "the fleet is being changed")));
            }
            return changed(service, environment, request)
                    .eventually(() -> locks.release(service, environment));
        });
    }

    private Uni<FleetView> changed(String service, String environment, FleetRequest request) {
        // Committed before the fleet is released, so that the next change reads what this one wrote.
        return Panache.withTransaction(() -> FleetEntity.find(service, environment).chain(existing -> deployments
                .running(service, environment).chain(running -> {
                    if (running.isPresent() && (existing == null || existing.replicas != request.replicas())) {
                        throw ApiProblem.conflict("deployment " + running.get() + " of " + service + " in "
                                + environment + " is running; change replicas once it has ended",
                                List.of(new Problem.Violation("replicas", "deployment " + running.get()
                                        + " is running")));
                    }
                    FleetEntity fleet = existing != null ? existing : new FleetEntity();
                    fleet.service = service;
                    fleet.environment = environment;
                    fleet.replicas = request.replicas();
                    fleet.updatedAt = Instant.now();
                    return (existing != null ? Uni.createFrom().item(fleet) : fleet.<FleetEntity>persist())
                            .call(saved -> traffic.open(saved))
                            .chain(saved -> running.isPresent() ? Uni.createFrom().item(FleetScaler.Outcome.nothing())
                                    : scaler.scale(saved))
                            .call(() -> events.publish(service, environment))
                            .chain(outcome -> view(fleet, outcome.problems()));
                })));
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
        return view(fleet, Map.of());
    }

    private Uni<FleetView> view(FleetEntity fleet, Map<String, String> problems) {
        String routerUrl = traffic.routerUrl(fleet.service, fleet.environment).orElse(null);
        return deployments.running(fleet.service, fleet.environment).chain(running -> InstanceEntity
                .ofFleet(fleet.service, fleet.environment).map(instances -> new FleetView(fleet.service,
                        fleet.environment, fleet.replicas, routerUrl, instances.stream()
                                .map(i -> InstanceView.of(i, driver)).toList(), running.orElse(null),
                        problems.isEmpty() ? null : problems)));
    }
}
