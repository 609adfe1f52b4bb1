package dev.stagecraft.inventory.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stagecraft.inventory.driver.AgentDriver;
import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.platform.security.Caller;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Prometheus' HTTP service discovery (<a href="https://prometheus.io/docs/prometheus/latest/http_sd/">http_sd</a>):
 * every instance with an address as a target, labelled with its service, environment, pool, version, id and state,
 * so that Prometheus scrapes instances as they come and go (deploy/observability/prometheus.yml). Viewer rights:
 * Prometheus sends a viewer token with {@code authorization.credentials_file}.
 *
 * <p>{@code /data-plane}: with the agent driver, every live host agent (its metrics port, from its heartbeats, on its
 * address) and every fleet router process (its admin port on 127.0.0.1 of its host, as its agent reports it), so that
 * Prometheus scrapes them as hosts and fleets come and go; empty with the local-process driver, whose routers count
 * in this service's own {@code /q/metrics}.
 */
@Path("/api/v1/discovery/prometheus")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class PrometheusDiscoveryResource {
    public record TargetGroup(List<String> targets, Map<String, String> labels) {
    }

    private final Caller caller;
    private final InstanceDriver driver;

    public PrometheusDiscoveryResource(Caller caller, InstanceDriver driver) {
        this.caller = caller;
        this.driver = driver;
    }

    @GET
    @WithSession
    public Uni<List<TargetGroup>> targets() {
        caller.requireViewer();
        return InstanceEntity.<InstanceEntity>list("address is not null order by service, environment, id")
                .map(list -> list.stream().map(PrometheusDiscoveryResource::group).toList());
    }

    @GET
    @Path("/data-plane")
    public List<TargetGroup> dataPlane() {
        caller.requireViewer();
        if (!(driver instanceof AgentDriver agents)) {
            return List.of();
        }
        return DataPlaneTargets.of(agents.hosts().alive(), agents.routers().all());
    }

    static TargetGroup group(InstanceEntity i) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("service", i.service);
        labels.put("environment", i.environment);
        labels.put("pool", i.pool == null ? "" : i.pool);
        labels.put("version", i.version == null ? "" : i.version);
        labels.put("instance_id", i.id);
        labels.put("state", i.state == null ? "" : i.state.name());
        return new TargetGroup(List.of(i.address), labels);
    }
}
