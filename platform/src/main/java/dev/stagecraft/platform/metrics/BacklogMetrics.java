package dev.stagecraft.platform.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.stagecraft.platform.deadletter.DeadLetters;
import dev.stagecraft.platform.reactive.PeriodicReactiveTask;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * What is waiting where it should not pile up, for the platform-health dashboard and its alerts, every
 * {@code stagecraft.metrics.backlog-interval}:
 * <ul>
 * <li>{@code stagecraft_outbox_backlog}: outbox rows not yet relayed, and {@code stagecraft_outbox_oldest_seconds}
 * how long the oldest has waited (0 when empty);</li>
 * <li>{@code stagecraft_dead_letters}: records in this service's dead-letter topic (its retained offsets), NaN
 * while the broker cannot be read.</li>
 * </ul>
 */
@ApplicationScoped
public class BacklogMetrics {
    private static final Logger LOG = Logger.getLogger(BacklogMetrics.class);
    private static final String OUTBOX = "SELECT count(*), min(created_at) FROM outbox_event";

    private final DeadLetters deadLetters;
    private final MeterRegistry registry;
    private final Pool pool;
    private final Vertx vertx;
    private final Duration interval;
    private final AtomicReference<Double> backlog = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> oldestSeconds = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> letters = new AtomicReference<>(Double.NaN);
    private PeriodicReactiveTask task;

    public BacklogMetrics(DeadLetters deadLetters, MeterRegistry registry, Pool pool, Vertx vertx,
            @ConfigProperty(name = "stagecraft.metrics.backlog-interval", defaultValue = "15s") Duration interval) {
        this.deadLetters = deadLetters;
        this.registry = registry;
        this.pool = pool;
        this.vertx = vertx;
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        Gauge.builder("stagecraft_outbox_backlog", backlog, AtomicReference::get)
                .description("Outbox rows written but not yet published").register(registry);
        Gauge.builder("stagecraft_outbox_oldest_seconds", oldestSeconds, AtomicReference::get)
                .description("Age of the oldest unpublished outbox row").register(registry);
        Gauge.builder("stagecraft_dead_letters", letters, AtomicReference::get)
                .description("Records in this service's dead-letter topic").register(registry);
        task = PeriodicReactiveTask.start("backlog metrics", vertx, interval, this::refresh);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.stop();
        }
    }

    Uni<Void> refresh() {
        // The reactive pool, not a Hibernate session: see OutboxRelay on native selects and the query plan cache.
        Uni<Void> outbox = pool.query(OUTBOX).execute()
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    OffsetDateTime oldest = row.getOffsetDateTime(1);
                    backlog.set(row.getLong(0).doubleValue());
                    oldestSeconds.set(oldest == null ? 0.0 : Math.max(0, Duration.between(oldest.toInstant(),
                            Instant.now()).toMillis() / 1000.0));
                }).replaceWithVoid();
        // The Kafka client blocks: off the event loop.
        Uni<Void> dead = Uni.createFrom().item(() -> {
            letters.set(deadLetters.count().map(Long::doubleValue).orElse(Double.NaN));
            return (Void) null;
        }).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
        return outbox.onFailure().invoke(e -> LOG.debugf("outbox backlog not read: %s", e.toString()))
                .onFailure().recoverWithNull().chain(() -> dead);
    }
}
