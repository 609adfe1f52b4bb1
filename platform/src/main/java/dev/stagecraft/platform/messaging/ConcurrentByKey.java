package dev.stagecraft.platform.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Lets one Kafka channel handle records of different keys (deployments, fleets) side by side, while the records of
 * one key are handled one after the other, in offset order ({@link KeyedLanes}). A channel without it handles one
 * record at a time: twelve deployments' steps queue behind each other, and time spent queued counts against their
 * deadlines.
 *
 * <p>The channel's method takes the {@link Message}, acknowledges manually and returns {@link #dispatch}: it answers
 * as soon as the record is admitted, so the connector hands over the next one, and the record is acknowledged (or
 * nacked, to the channel's dead-letter topic) only when its handling has ended. Offsets stay exactly-once-safe because
 * the connector's {@code throttled} commit strategy (the default with a group id) commits a partition only up to
 * below its lowest record not yet acknowledged: a crash redelivers every unfinished record, and the inbox skips the
 * finished ones. A record without a key keeps its partition's order.
 *
 * <p>Each record is handled on the Vert.x context the connector delivered it on, its own duplicated context, where
 * its reactive session lives; concurrent records never share a session.
 */
public final class ConcurrentByKey {
    private final KeyedLanes lanes;

    public ConcurrentByKey(int maxUnfinished) {
        this.lanes = new KeyedLanes(maxUnfinished);
    }

    public Uni<Void> dispatch(Message<?> message, Function<ConsumerRecord<String, String>, Uni<Void>> handle) {
        ConsumerRecord<String, String> record = recordOf(message);
        Context context = Vertx.currentContext();
        return Uni.createFrom()
                .completionStage(() -> lanes.submit(laneOf(record), () -> onContext(context, () -> handle.apply(record))))
                .invoke(done -> done.whenComplete((ignored, failure) -> {
                    if (failure == null) {
                        message.ack();
                    } else {
                        message.nack(failure);
                    }
                }))
                .replaceWithVoid();
    }

    /** Records admitted and not yet handled. */
    public int unfinished() {
        return lanes.unfinished();
    }

    static String laneOf(ConsumerRecord<?, ?> record) {
        return record.key() != null ? "key:" + record.key() : "partition:" + record.topic() + "-" + record.partition();
    }

    /** The Kafka record a channel's message carries. */
    @SuppressWarnings("unchecked")
    public static ConsumerRecord<String, String> recordOf(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(metadata -> (ConsumerRecord<String, String>) metadata.getRecord())
                .orElseThrow(() -> new IllegalArgumentException("not a record from a Kafka channel: " + message));
    }

    private static CompletionStage<Void> onContext(Context context, java.util.function.Supplier<Uni<Void>> work) {
        if (context == null) {
            return work.get().subscribeAsCompletionStage();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            try {
                work.get().subscribe().with(done::complete, done::completeExceptionally);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
