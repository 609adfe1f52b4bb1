package dev.stagecraft.release.insights;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.stagecraft.platform.reactive.PeriodicReactiveTask;
import dev.stagecraft.release.insights.DoraCalculator.Figures;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The DORA figures as Prometheus counters per service and environment, read from the deployments' history every
 * {@code stagecraft.dora.refresh-interval}. They are counters whose value is the all-time total in the database, so
 * a restart does not reset them, and Prometheus' {@code increase()} over any range gives that range's figures:
 * <ul>
 * <li>{@code stagecraft_dora_deployments_total{service,environment,outcome}}: outcome succeeded, rolled_back, failed;</li>
 * <li>{@code stagecraft_dora_lead_time_seconds_total}: the lead times of the SUCCEEDED ones, summed (mean lead time =
 * its increase over the increase of {@code outcome="succeeded"});</li>
 * <li>{@code stagecraft_dora_restore_seconds_total} and {@code stagecraft_dora_restores_total}: times to restore
 * summed, and how many.</li>
 * </ul>
 * Every replica reports the same totals: aggregate with {@code max}, not {@code sum}.
 */
@ApplicationScoped
public class DoraMetrics {
    static final String DEPLOYMENTS = "stagecraft_dora_deployments";
    static final String LEAD_TIME = "stagecraft_dora_lead_time_seconds";
    static final String RESTORE_TIME = "stagecraft_dora_restore_seconds";
    static final String RESTORES = "stagecraft_dora_restores";
    /** Far enough back to hold all of any real history; the totals are all-time. */
    private static final Instant BEGINNING = Instant.parse("2000-01-01T00:00:00Z");

    private final DoraHistory history;
    private final MeterRegistry registry;
    private final Vertx vertx;
    private final Duration interval;
    private final Map<String, Figures> current = new ConcurrentHashMap<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private PeriodicReactiveTask task;

    public DoraMetrics(DoraHistory history, MeterRegistry registry, Vertx vertx,
            @ConfigProperty(name = "stagecraft.dora.refresh-interval", defaultValue = "30s") Duration interval) {
        this.history = history;
        this.registry = registry;
        this.vertx = vertx;
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        task = PeriodicReactiveTask.start("DORA metrics", vertx, interval, this::refresh);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.stop();
        }
    }

    Uni<Void> refresh() {
        return history.load(null, null).invoke(ended -> {
            List<Figures> figures = DoraCalculator.figures(ended, BEGINNING, Instant.now().plus(Duration.ofDays(1)));
            Map<String, Figures> byKey = figures.stream().collect(Collectors.toMap(f -> f.service() + "/" + f.environment(),
                    f -> f));
            current.putAll(byKey);
            byKey.values().forEach(this::register);
        }).replaceWithVoid();
    }

    private void register(Figures f) {
        String key = f.service() + "/" + f.environment();
        if (!registered.add(key)) {
            return;
        }
        counter(DEPLOYMENTS, key, f, "succeeded", x -> x.succeeded());
        counter(DEPLOYMENTS, key, f, "rolled_back", x -> x.rolledBack());
        counter(DEPLOYMENTS, key, f, "failed", x -> x.failed());
        counter(LEAD_TIME, key, f, null, x -> x.leadTime().sumSeconds());
        counter(RESTORE_TIME, key, f, null, x -> x.timeToRestore().sumSeconds());
        counter(RESTORES, key, f, null, x -> x.timeToRestore().count());
    }

    private void counter(String name, String key, Figures f, String outcome, ToDoubleFunction<Figures> value) {
        FunctionCounter.Builder<Map<String, Figures>> builder = FunctionCounter.builder(name, current,
                map -> map.containsKey(key) ? value.applyAsDouble(map.get(key)) : 0)
                .tag("service", f.service()).tag("environment", f.environment())
                .description("DORA figures from the deployments' history (all-time totals; see docs/observability.md)");
        if (outcome != null) {
            builder.tag("outcome", outcome);
        }
        builder.register(registry);
    }
}
