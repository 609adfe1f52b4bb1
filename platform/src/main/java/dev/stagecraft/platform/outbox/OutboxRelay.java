package dev.stagecraft.platform.outbox;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Moves committed outbox rows to Kafka, oldest first. Rows are locked with SKIP LOCKED so that
 * several replicas of a service can relay side by side, and deleted only after the broker has
 * acknowledged them: a crash in between publishes them again (at least once), which the
 * consumers' inboxes absorb.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String NEXT_BATCH =
            "SELECT * FROM outbox_event ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED";

    private final CloudEventProducer producer;
    private final int batchSize;

    public OutboxRelay(CloudEventProducer producer,
            @ConfigProperty(name = "stagecraft.outbox.batch-size", defaultValue = "200") int batchSize) {
        this.producer = producer;
        this.batchSize = batchSize;
    }

    @Scheduled(every = "${stagecraft.outbox.interval:0.1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> relay() {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(NEXT_BATCH, OutboxEvent.class)
                        .setParameter("limit", batchSize)
                        .getResultList())
                .chain(this::publishAndDelete))
                .onFailure().invoke(t -> LOG.warnf("outbox relay will retry: %s", t.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
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
