package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CommitPointsTest {
    private static final TopicPartition P0 = new TopicPartition("host-commands", 0);
    private static final TopicPartition P1 = new TopicPartition("host-commands", 1);

    @Test
    void commitsStopBelowTheFirstRecordNotYetApplied() {
        CommitPoints points = new CommitPoints();
        points.started(P0, 10); // fleet a, slow
        points.passed(P0, 11); // an instance command, applied at once
        points.started(P0, 12); // fleet b
        assertEquals(Map.of(P0, 10L), points.toCommit(), "nothing past 10 while 10 is unapplied");
        points.finished(P0, 12);
        assertEquals(Map.of(), points.toCommit(), "10 still holds it; unchanged points are not committed again");
        assertEquals(1, points.unfinished());
        points.finished(P0, 10);
        assertEquals(Map.of(P0, 13L), points.toCommit(), "past the last record handed over");
        assertEquals(0, points.unfinished());
    }

    @Test
    void eachPartitionMovesOnItsOwn() {
        CommitPoints points = new CommitPoints();
        points.started(P0, 5);
        points.passed(P1, 40); // another host's record: nothing to apply
        assertEquals(Map.of(P0, 5L, P1, 41L), points.toCommit());
        points.passed(P1, 41);
        assertEquals(Map.of(P1, 42L), points.toCommit());
    }

    @Test
    void aFailedCommitIsAnsweredAgain() {
        CommitPoints points = new CommitPoints();
        points.passed(P0, 0);
        Map<TopicPartition, Long> first = points.toCommit();
        assertEquals(Map.of(P0, 1L), first);
        points.notCommitted(first);
        assertEquals(Map.of(P0, 1L), points.toCommit());
        assertEquals(Map.of(), points.toCommit());
    }

    @Test
    void aRecordDeliveredAgainAfterARebalanceCountsOnce() {
        CommitPoints points = new CommitPoints();
        points.started(P0, 3);
        points.started(P0, 3);
        assertEquals(1, points.unfinished());
        points.finished(P0, 3);
        assertEquals(Map.of(P0, 4L), points.toCommit());
    }
}
