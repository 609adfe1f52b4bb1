package dev.stagecraft.platform.messaging;

import java.util.Collection;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Whether a consumer has read everything that was on its partitions when they were assigned to it. A service
 * that judges time by what has not arrived (rollout-service's deadlines) must not judge while it is still reading
 * what arrived while it was down: the answer it would call missing may be a few records further on.
 *
 * <p>Attach it to the one incoming channel it watches with
 * {@code mp.messaging.incoming.<channel>.consumer-rebalance-listener.name=stagecraft-catch-up}, and report each
 * record once handled ({@link #handled}). The end offsets are taken at assignment: records that arrive later are
 * live traffic, not catching up.
 *
 * <p>A channel that handles records side by side ({@link ConcurrentByKey}) also reports each record when it is
 * admitted ({@link #admitted}): records of different keys end out of offset order, and a later record handled first
 * must not count as having read past an earlier one that is still being handled.
 */
@ApplicationScoped
@Default // injected by type where it is read; named for the channel that reports to it
@Identifier(CatchUp.NAME)
public class CatchUp implements KafkaConsumerRebalanceListener {
    public static final String NAME = "stagecraft-catch-up";
    private static final Logger LOG = Logger.getLogger(CatchUp.class);

    /** Per assigned partition, its end offset at assignment: read up to there, the consumer has caught up. */
    private final Map<TopicPartition, Long> endAtAssignment = new ConcurrentHashMap<>();
    /** Per assigned partition, the next offset still to be handled. */
    private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();
    /** Per assigned partition, the offsets admitted and not yet handled. */
    private final Map<TopicPartition, NavigableSet<Long>> inFlight = new ConcurrentHashMap<>();
    private volatile boolean assigned;

    /** Called on the consumer's polling thread, where the consumer may be asked for offsets. */
    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition partition : partitions) {
            endAtAssignment.put(partition, ends.getOrDefault(partition, 0L));
            next.merge(partition, consumer.position(partition), Math::max);
        }
        assigned = true;
        LOG.infof("assigned %s; catching up to %s", partitions, ends);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    /** A record was handed to a handler that may end after records behind it: it counts as unread until handled. */
    public void admitted(ConsumerRecord<?, ?> record) {
        inFlight.computeIfAbsent(partitionOf(record), p -> new ConcurrentSkipListSet<>()).add(record.offset());
    }

    /** A record was handled (applied, skipped as a duplicate, or dead-lettered): the consumer is past it. */
    public void handled(ConsumerRecord<?, ?> record) {
        TopicPartition partition = partitionOf(record);
        NavigableSet<Long> unfinished = inFlight.get(partition);
        if (unfinished != null) {
            unfinished.remove(record.offset());
        }
        next.merge(partition, record.offset() + 1, Math::max);
    }

    /**
     * Partitions are assigned and every one has been read up to where it ended at assignment, with nothing before
     * that end still being handled.
     */
    public boolean caughtUp() {
        return assigned && endAtAssignment.entrySet().stream().allMatch(end -> readUpTo(end.getKey(), end.getValue()));
    }

    private boolean readUpTo(TopicPartition partition, long end) {
        NavigableSet<Long> unfinished = inFlight.get(partition);
        boolean earlierStillRunning = unfinished != null && unfinished.lower(end) != null;
        return next.getOrDefault(partition, 0L) >= end && !earlierStillRunning;
    }

    private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }

    private void forget(Collection<TopicPartition> partitions) {
        assigned = false; // until the partitions are given out again
        partitions.forEach(partition -> {
            endAtAssignment.remove(partition);
            next.remove(partition);
            inFlight.remove(partition);
        });
    }
}
