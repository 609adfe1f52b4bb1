package dev.stagecraft.rollout.strategy;

import static dev.stagecraft.rollout.strategy.AnswerTiming.Timing.AWAITED;
import static dev.stagecraft.rollout.strategy.AnswerTiming.Timing.EARLY;
import static dev.stagecraft.rollout.strategy.AnswerTiming.Timing.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stagecraft.contracts.EventTypes;

/** Each row: where the saga is (phase, step), an answer (type, step), and where that answer belongs. */
class AnswerTimingTest {
    private static final String UPDATED = EventTypes.INSTANCES_UPDATED;
    private static final String PROVISIONED = EventTypes.INSTANCES_PROVISIONED;
    private static final String ENABLED = EventTypes.INSTANCES_ENABLED;
    private static final String WEIGHTED = EventTypes.INSTANCES_WEIGHTED;
    private static final String DECOMMISSIONED = EventTypes.INSTANCES_DECOMMISSIONED;
    private static final String VERDICT = EventTypes.VERDICT_REACHED;
    private static final String TARGETS = EventTypes.TARGETS_RESOLVED;

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of(Phase.RESOLVING, 1, TARGETS, 1, AWAITED),
                Arguments.of(Phase.UPDATING, 4, UPDATED, 4, AWAITED),
                Arguments.of(Phase.UPDATING, 4, VERDICT, 4, EARLY),     // read before the update it judges
                Arguments.of(Phase.UPDATING, 4, VERDICT, 3, STALE),     // an earlier batch's verdict
                Arguments.of(Phase.UPDATING, 4, UPDATED, 3, STALE),
                Arguments.of(Phase.UPDATING, 4, ENABLED, 4, STALE),     // no enable was asked under step 4
                Arguments.of(Phase.UPDATING, 4, UPDATED, 5, EARLY),     // nothing asked yet; kept, not lost
                Arguments.of(Phase.PROVISIONING, 2, PROVISIONED, 2, AWAITED),
                Arguments.of(Phase.PROVISIONING, 2, VERDICT, 2, EARLY),
                Arguments.of(Phase.VERIFYING, 4, VERDICT, 4, AWAITED),
                Arguments.of(Phase.VERIFYING, 4, UPDATED, 4, STALE),    // applied already; asked again or redelivered
                Arguments.of(Phase.VERIFYING, 4, VERDICT, 3, STALE),
                Arguments.of(Phase.ENABLING, 5, ENABLED, 5, AWAITED),
                Arguments.of(Phase.ENABLING, 5, VERDICT, 4, STALE),
                Arguments.of(Phase.ENABLING, 5, VERDICT, 5, STALE),     // an enable is not judged
                Arguments.of(Phase.WEIGHTING, 3, WEIGHTED, 3, AWAITED),
                Arguments.of(Phase.WEIGHTING, 3, VERDICT, 3, STALE),
                Arguments.of(Phase.ANALYSING, 6, VERDICT, 6, AWAITED),
                Arguments.of(Phase.ANALYSING, 6, VERDICT, 5, STALE),
                Arguments.of(Phase.DECOMMISSIONING, 7, DECOMMISSIONED, 7, AWAITED),
                Arguments.of(Phase.PAUSED, 8, VERDICT, 7, STALE),       // the analysis a pause cut short
                Arguments.of(Phase.PAUSED, 8, VERDICT, 8, STALE),
                Arguments.of(Phase.WAITING, 8, WEIGHTED, 8, STALE),
                Arguments.of(Phase.DONE, 9, ENABLED, 9, STALE),
                Arguments.of(Phase.DONE, 9, VERDICT, 10, STALE));       // an ended saga keeps nothing
    }

    @ParameterizedTest(name = "{0} step {1}: {2} for step {3} is {4}")
    @MethodSource("rows")
    void placesTheAnswer(Phase phase, int sagaStep, String type, int answerStep, AnswerTiming.Timing expected) {
        SagaState s = new SagaState();
        s.phase = phase;
        s.step = sagaStep;
        assertEquals(expected, AnswerTiming.of(s, type, answerStep));
    }
}
