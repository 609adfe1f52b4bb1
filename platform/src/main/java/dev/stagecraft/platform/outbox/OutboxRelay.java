package dev.stagecraft.platform.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.stagecraft.platform.reactive.PeriodicReactiveTask;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Moves committed outbox rows to Kafka, oldest first, and deletes them only after the broker has
 * acknowledged them: a crash in between publishes them again (at least once), which the consumers'
 * inboxes absorb. Among several replicas of a service, one relays at a time (a transaction-scoped
 * advisory lock): two relaying side by side could publish one deployment's events out of order.
 *
 * <p>It runs as soon as a transaction that wrote outbox rows has committed ({@link #wake()}, called by
 * {@code IdempotentConsumer} after each applied event), so a saga hop costs what the broker costs, not the
 * polling period. Polling stays as the safety net, for writers that do not wake it (REST requests) and for a
 * pass that failed: a Vert.x timer rather than {@code @Scheduled}, whose shortest period is one second.
 * Waking changes neither guarantee: one pass at a time, rows oldest first, deleted only once acknowledged.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String RELAY_LOCK = "SELECT pg_try_advisory_xact_lock(7001)";
    private static final String NEXT_BATCH = "SELECT * FROM outbox_event ORDER BY id LIMIT :limit";

    private final CloudEventProducer producer;
    private final Vertx vertx;
    private final int batchSize;
    private final Duration interval;
    private final boolean wakeOnCommit;
    private volatile PeriodicReactiveTask task;

    public OutboxRelay(CloudEventProducer producer, Vertx vertx,
            @ConfigProperty(name = "stagecraft.outbox.batch-size", defaultValue = "200") int batchSize,
            @ConfigProperty(name = "stagecraft.outbox.interval", defaultValue = "50ms") Duration interval,
            @ConfigProperty(name = "stagecraft.outbox.wake-on-commit", defaultValue = "true") boolean wakeOnCommit) {
        this.producer = producer;
        this.vertx = vertx;
        this.batchSize = batchSize;
        this.interval = interval;
        this.wakeOnCommit = wakeOnCommit;
    }

    /** Rows were committed just now: relay them without waiting for the next poll. Call only after the commit. */
    public void wake() {
        PeriodicReactiveTask running = task;
        if (wakeOnCommit && running != null) {
            running.runNow();
        }
    }

    void start(@Observes StartupEvent event) {
        task = PeriodicReactiveTask.start("outbox relay", vertx, interval, this::relay);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.stop();
        }
    }

    Uni<Void> relay() {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(RELAY_LOCK, Boolean.class).getSingleResult()
                        .chain(mine -> mine
                                ? session.createNativeQuery(NEXT_BATCH, OutboxEvent.class)
                                        .setParameter("limit", batchSize).getResultList()
                                : Uni.createFrom().item(List.<OutboxEvent>of())))
                .chain(this::publishAndDelete));
    }

    private Uni<Void> publishAndDelete(List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Context context = Vertx.currentContext();
        CompletableFuture<?>[] sends = events.stream().map(producer::send).toArray(CompletableFuture[]::new);
        List<Long> ids = events.stream().map(e -> e.id).toList();
        return Uni.createFrom().completionStage(CompletableFuture.allOf(sends))
                // Kafka completes on its own I/O thread; the reactive session must be used on its context.
                .emitOn(command -> context.runOnContext(ignored -> command.run()))
                .chain(() -> OutboxEvent.delete("id in ?1", ids))
                .invoke(count -> LOG.debugf("relayed %d events", count))
                .replaceWithVoid();
    }
}
