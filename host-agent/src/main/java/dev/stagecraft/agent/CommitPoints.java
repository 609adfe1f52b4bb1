package dev.stagecraft.agent;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer may commit while records are applied out of order (a fleet's router command may end after a
 * later one of another fleet): per partition, up to below its lowest record not yet applied, else past the last
 * record handed over. A crash then redelivers every unapplied record and perhaps some applied ones, which every
 * command tolerates. Thread-safe: records end on the threads that apply them.
 */
final class CommitPoints {
    private final Map<TopicPartition, TreeSet<Long>> unfinished = new HashMap<>();
    /** Per partition, the offset after the last record handed over. */
    private final Map<TopicPartition, Long> next = new HashMap<>();
    /** Per partition, the offset last committed (or answered as to be committed). */
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    /** A record handed over to be applied; {@link #finished} once it is. */
    synchronized void started(TopicPartition partition, long offset) {
        unfinished.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
        next.merge(partition, offset + 1, Math::max);
    }

    /** A record applied (or skipped, for good). */
    synchronized void finished(TopicPartition partition, long offset) {
        TreeSet<Long> offsets = unfinished.get(partition);
        if (offsets != null) {
            offsets.remove(offset);
        }
    }

    /** A record that needed nothing, or was applied at once: the same as started, then finished. */
    synchronized void passed(TopicPartition partition, long offset) {
        next.merge(partition, offset + 1, Math::max);
    }

    /** Records handed over and not applied yet. */
    synchronized int unfinished() {
        return unfinished.values().stream().mapToInt(TreeSet::size).sum();
    }

    /**
     * The offset to commit per partition where it moved since the last call (Kafka's commit: the next record to read):
     * the lowest unfinished offset, or the one after the last record handed over.
     */
    synchronized Map<TopicPartition, Long> toCommit() {
        Map<TopicPartition, Long> moved = new HashMap<>();
        next.forEach((partition, after) -> {
            TreeSet<Long> offsets = unfinished.get(partition);
            long point = offsets == null || offsets.isEmpty() ? after : offsets.first();
            if (!Long.valueOf(point).equals(committed.get(partition))) {
                committed.put(partition, point);
                moved.put(partition, point);
            }
        });
        return moved;
    }

    /** A commit that failed: its partitions are answered again by the next {@link #toCommit}. */
    synchronized void notCommitted(Map<TopicPartition, Long> points) {
        points.forEach((partition, point) -> committed.remove(partition, point));
    }
}
