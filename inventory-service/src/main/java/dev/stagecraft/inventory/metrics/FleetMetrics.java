package dev.stagecraft.inventory.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.stagecraft.inventory.domain.InstanceState;
import dev.stagecraft.inventory.persistence.FleetEntity;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.platform.reactive.PeriodicReactiveTask;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Each fleet's desired size beside what serves, from the database every {@code stagecraft.metrics.fleet-interval},
 * for the "fleet below its replicas" alert: {@code stagecraft_fleet_replicas{service,environment}} and
 * {@code stagecraft_fleet_instances_in_service{service,environment}} (instances IN_SERVICE, every pool); and the
 * fleet's {@link InstanceRestartsMetric}, at 0 until a host agent restarts one of its instances.
 */
@ApplicationScoped
public class FleetMetrics {
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final Duration interval;
    private final Map<List<String>, double[]> sizes = new ConcurrentHashMap<>();
    private final Set<List<String>> registered = ConcurrentHashMap.newKeySet();
    private PeriodicReactiveTask task;

    public FleetMetrics(MeterRegistry registry, Vertx vertx,
            @ConfigProperty(name = "stagecraft.metrics.fleet-interval", defaultValue = "15s") Duration interval) {
        this.registry = registry;
        this.vertx = vertx;
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        task = PeriodicReactiveTask.start("fleet metrics", vertx, interval, this::refresh);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.stop();
        }
    }

    Uni<Void> refresh() {
        return Panache.withSession(() -> FleetEntity.<FleetEntity>listAll()
                .chain(fleets -> InstanceEntity.<InstanceEntity>list("state = ?1", InstanceState.IN_SERVICE)
                        .invoke(serving -> {
                            Map<List<String>, Long> inService = new java.util.HashMap<>();
                            serving.forEach(i -> inService.merge(List.of(i.service, i.environment), 1L, Long::sum));
                            for (FleetEntity f : fleets) {
                                List<String> key = List.of(f.service, f.environment);
                                double[] values = sizes.computeIfAbsent(key, k -> new double[2]);
                                values[0] = f.replicas;
                                values[1] = inService.getOrDefault(key, 0L);
                                register(key);
                            }
                        }))).replaceWithVoid();
    }

    private void register(List<String> key) {
        if (!registered.add(key)) {
            return;
        }
        Gauge.builder("stagecraft_fleet_replicas", sizes, m -> m.get(key)[0]).tag("service", key.get(0))
                .tag("environment", key.get(1)).description("Desired replicas of the fleet").register(registry);
        Gauge.builder("stagecraft_fleet_instances_in_service", sizes, m -> m.get(key)[1]).tag("service", key.get(0))
                .tag("environment", key.get(1)).description("Instances of the fleet in service").register(registry);
        InstanceRestartsMetric.of(registry, key.get(0), key.get(1));
    }
}
