package dev.stagecraft.platform.messaging;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When the deadline reconciler may start judging: only once everything found at assignment has been handled. */
class CatchUpTest {
    private static final TopicPartition P0 = new TopicPartition("stagecraft.health", 0);
    private final CatchUp catchUp = new CatchUp();

    @BeforeEach
    void assignedWithThreeRecordsWaiting() {
        MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(P0));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 3L));
        catchUp.onPartitionsAssigned(consumer, List.of(P0));
    }

    @Test
    void notCaughtUpUntilEveryRecordFoundIsHandled() {
        assertFalse(catchUp.caughtUp());
        for (long offset = 0; offset < 3; offset++) {
            catchUp.admitted(record(offset));
            catchUp.handled(record(offset));
        }
        assertTrue(catchUp.caughtUp());
    }

    @Test
    void aLaterRecordHandledFirstDoesNotCountForAnEarlierOneStillRunning() {
        // Records of different deployments end out of offset order: 0 and 2 are done, 1 is still being applied.
        for (long offset = 0; offset < 3; offset++) {
            catchUp.admitted(record(offset));
        }
        catchUp.handled(record(0));
        catchUp.handled(record(2));
        assertFalse(catchUp.caughtUp(), "offset 1 is still being handled");
        catchUp.handled(record(1));
        assertTrue(catchUp.caughtUp());
    }

    @Test
    void liveRecordsAfterTheEndDoNotHoldItBack() {
        for (long offset = 0; offset < 3; offset++) {
            catchUp.admitted(record(offset));
            catchUp.handled(record(offset));
        }
        catchUp.admitted(record(3)); // arrived after the assignment: live traffic, not catching up
        assertTrue(catchUp.caughtUp());
    }

    @Test
    void revokedPartitionsMustBeAssignedAgain() {
        catchUp.onPartitionsRevoked(null, List.of(P0));
        assertFalse(catchUp.caughtUp());
    }

    private static ConsumerRecord<String, String> record(long offset) {
        return new ConsumerRecord<>(P0.topic(), P0.partition(), offset, "deployment-" + offset, "{}");
    }
}
