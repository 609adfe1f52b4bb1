package dev.stagecraft.release.insights;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.platform.reactive.PeriodicReactiveTask;
import dev.stagecraft.release.domain.DeploymentStatus;
import dev.stagecraft.release.persistence.DeploymentEntity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code stagecraft_deployment_active{deployment,service,environment,version,strategy,status}} = 1 for every
 * deployment that has not ended (BAKING included), for the Live rollout dashboard. A deployment's series goes when it
 * ends or changes status, so the labels stay bounded by the deployments running at once.
 */
@ApplicationScoped
public class LiveDeploymentMetrics {
    static final String NAME = "stagecraft_deployment_active";
    private static final Set<DeploymentStatus> LIVE = EnumSet.of(DeploymentStatus.REQUESTED,
            DeploymentStatus.AWAITING_APPROVAL, DeploymentStatus.IN_PROGRESS, DeploymentStatus.PAUSED,
            DeploymentStatus.BAKING, DeploymentStatus.ROLLING_BACK);
    /** Gauges hold weak references: this keeps the constant they read alive. */
    private static final double[] ONE = {1};

    private final MeterRegistry registry;
    private final Vertx vertx;
    private final Duration interval;
    private final Map<Tags, Meter> shown = new ConcurrentHashMap<>();
    private PeriodicReactiveTask task;

    public LiveDeploymentMetrics(MeterRegistry registry, Vertx vertx,
            @ConfigProperty(name = "stagecraft.metrics.live-interval", defaultValue = "5s") Duration interval) {
        this.registry = registry;
        this.vertx = vertx;
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        task = PeriodicReactiveTask.start("live deployment metrics", vertx, interval, this::refresh);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.stop();
        }
    }

    Uni<Void> refresh() {
        return Panache.withSession(() -> DeploymentEntity.<DeploymentEntity>list("status in ?1", LIVE))
                .invoke(live -> show(live.stream().map(LiveDeploymentMetrics::tags).collect(Collectors.toSet())))
                .replaceWithVoid();
    }

    private void show(Set<Tags> live) {
        shown.keySet().stream().filter(t -> !live.contains(t)).toList()
                .forEach(t -> registry.remove(shown.remove(t)));
        for (Tags t : live) {
            shown.computeIfAbsent(t, k -> Gauge.builder(NAME, ONE, a -> a[0]).tags(k)
                    .description("1 for each deployment that has not ended, labelled with its status").register(registry));
        }
    }

    static Tags tags(DeploymentEntity d) {
        String strategy = JsonText.read(d.strategy, StrategySpec.class).type();
        return Tags.of("deployment", d.id, "service", d.service, "environment", d.environment, "version", d.version,
                "strategy", strategy == null ? "" : strategy, "status", d.status.name());
    }
}
