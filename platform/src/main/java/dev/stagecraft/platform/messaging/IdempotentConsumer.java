package dev.stagecraft.platform.messaging;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.stagecraft.platform.outbox.OutboxRelay;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Applies each event at most once per consumer: the inbox row, the state change and the outbox rows
 * the handler writes commit in one transaction, so a redelivered event is acknowledged and skipped.
 * Transient failures (a database or broker away) are retried with back-off for as long as it takes;
 * data the database refuses is retried {@code stagecraft.consumer.max-retries} times; a poison record
 * fails at once. What fails for good, the channel's dead-letter strategy moves aside.
 */
@ApplicationScoped
public class IdempotentConsumer {
    private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);

    private final CloudEventReader reader;
    private final OutboxRelay relay;
    private final int maxRetries;
    private final MeterRegistry metrics;

    public IdempotentConsumer(CloudEventReader reader, OutboxRelay relay,
            @ConfigProperty(name = "stagecraft.consumer.max-retries", defaultValue = "5") int maxRetries,
            MeterRegistry metrics) {
        this.reader = reader;
        this.relay = relay;
        this.maxRetries = maxRetries;
        this.metrics = metrics;
    }

    public Uni<Void> consume(String consumer, ConsumerRecord<String, String> record, EventHandlers handlers) {
        String type = CloudEventHeaders.value(record, CloudEventHeaders.TYPE);
        if (type != null && !handlers.handles(type)) {
            // Another service's business, skipped unread: a step's answer for 10,000 instances is megabytes of JSON.
            // A record that names no type is read, and dead-lettered as poison.
            return Uni.createFrom().voidItem();
        }
        InboundEvent event;
        try {
            event = reader.read(consumer, record);
        } catch (PoisonRecordException e) {
            return Uni.createFrom().failure(e);
        }
        var staged = handlers.stagedForType(event.type());
        if (staged.isPresent()) {
            return consumeStaged(consumer, event, staged.get())
                    .invoke(() -> hop(consumer, event.type(), record.timestamp()));
        }
        var handler = handlers.forType(event.type());
        if (handler.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return retried(consumer, event, Uni.createFrom().deferred(() -> applyOnce(consumer, event, handler.get()::apply)))
                .onFailure().invoke(t -> LOG.errorf(t, "%s: giving %s %s to the dead-letter topic", consumer,
                        event.type(), event.id()))
                .invoke(() -> hop(consumer, event.type(), record.timestamp()));
    }

    /**
     * Inbox first (applied already: nothing is prepared), then the slow part outside any transaction, then its record
     * in the inbox transaction. Each part is retried on its own: a database away while recording retries the
     * recording, not the slow part.
     */
    private <T> Uni<Void> consumeStaged(String consumer, InboundEvent event, StagedHandler<T> handler) {
        String inboxId = ProcessedEvent.idOf(consumer, event.id());
        Uni<Boolean> seen = Uni.createFrom().deferred(() -> Panache.withSession(
                () -> ProcessedEvent.<ProcessedEvent>findById(inboxId).map(row -> row != null)));
        return retried(consumer, event, seen).chain(applied -> {
            if (applied) {
                LOG.debugf("%s: %s %s already applied, skipping", consumer, event.type(), event.id());
                return Uni.createFrom().voidItem();
            }
            return retried(consumer, event, Uni.createFrom().deferred(() -> handler.prepare(event)))
                    .chain(prepared -> retried(consumer, event,
                            Uni.createFrom().deferred(() -> recordOnce(consumer, event, handler, prepared)))
                            .onFailure().call(() -> handler.discard(prepared))
                            .chain(recorded -> recorded ? Uni.createFrom().voidItem() : handler.discard(prepared)));
        }).onFailure().invoke(t -> LOG.errorf(t, "%s: giving %s %s to the dead-letter topic", consumer, event.type(),
                event.id()));
    }

    /**
     * Answers false when what was prepared is not kept: the event had been applied meanwhile (by a concurrent
     * delivery; then nothing is written), or the handler did not keep it.
     */
    private <T> Uni<Boolean> recordOnce(String consumer, InboundEvent event, StagedHandler<T> handler, T prepared) {
        return Panache.withTransaction(() -> ProcessedEvent.claim(consumer, event.id(), event.type())
                .chain(claimed -> claimed ? handler.apply(event, prepared) : Uni.createFrom().item(false)))
                .invoke(relay::wake);
    }

    /**
     * A server away, a lost optimistic lock: retried for as long as it takes, never dead-lettered, so the partition
     * waits rather than loses a valid event. Data the database refuses fails the same way each time: a few tries, then
     * the failure goes on (to the dead-letter topic).
     */
    private <T> Uni<T> retried(String consumer, InboundEvent event, Uni<T> attempt) {
        return attempt
                .onFailure(t -> !HandlingFailures.isPermanent(t))
                .invoke(t -> LOG.warnf("%s: applying %s %s failed, will retry: %s", consumer, event.type(), event.id(),
                        t.toString()))
                .onFailure(t -> !HandlingFailures.isPermanent(t))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(3)).indefinitely()
                .onFailure(t -> !(t instanceof PoisonRecordException))
                .retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(3)).atMost(maxRetries);
    }

    private Uni<Void> applyOnce(String consumer, InboundEvent event,
            java.util.function.Function<InboundEvent, Uni<Void>> handler) {
        return Panache.withTransaction(() -> ProcessedEvent.claim(consumer, event.id(), event.type())
                .chain(claimed -> {
                    if (!claimed) {
                        LOG.debugf("%s: %s %s already applied, skipping", consumer, event.type(), event.id());
                        return Uni.createFrom().voidItem();
                    }
                    return handler.apply(event);
                }))
                // Committed: whatever the handler wrote to the outbox goes out now, not at the next poll.
                .invoke(relay::wake);
    }

    /**
     * {@code stagecraft_event_hop_seconds{consumer,type}}: from the record's Kafka timestamp (when the relay sent it)
     * to the commit of its handling here, the saga's hop latency. Fixed buckets, not a percentile histogram: one
     * series set per consumer and event type.
     */
    private void hop(String consumer, String type, long sentAtMillis) {
        if (sentAtMillis <= 0) {
            return;
        }
        Timer.builder("stagecraft_event_hop_seconds")
                .description("From a record's Kafka timestamp to the commit of its handling by this consumer")
                .tag("consumer", consumer).tag("type", type)
                .serviceLevelObjectives(HOP_BUCKETS)
                .register(metrics)
                .record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - sentAtMillis)));
    }

    private static final Duration[] HOP_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
}
