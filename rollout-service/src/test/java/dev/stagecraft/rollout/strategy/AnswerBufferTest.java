package dev.stagecraft.rollout.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstanceRef;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.contracts.TargetsResolved;
import dev.stagecraft.contracts.VerdictReached;

/**
 * Answers in the order a restarted consumer may read them, played through {@link AnswerBuffer} against a rolling
 * saga over two instances (a, b). Words: {@code updated+N} / {@code pass+N} / {@code enabled+N} answer the step N
 * after the saga's current one ({@code +0}: the current step); {@code deadline} is a missed deadline. Each row names
 * the status the saga ends in, the requests it sent (U update, E enable) and the answers it still keeps.
 */
class AnswerBufferTest {
    private static final ReleaseSpec OLD = new ReleaseSpec("shop", "1.0.0", new ArtifactRef("file:/a.jar", "aa"), null);
    private static final ReleaseSpec NEW = new ReleaseSpec("shop", "2.0.0", new ArtifactRef("file:/b.jar", "bb"), null);

    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of("in order", "updated+0 pass+0 enabled+0 updated+0 pass+0 enabled+0",
                        "SUCCEEDED", "U E U E", 0),
                Arguments.of("the verdict before the update it judges: kept, then applied with it",
                        "pass+0 updated+0 enabled+0 pass+0 updated+0 enabled+0", "SUCCEEDED", "U E U E", 0),
                Arguments.of("the verdict twice before the update: applied once",
                        "pass+0 pass+0 updated+0 enabled+0 updated+0 pass+0 enabled+0", "SUCCEEDED", "U E U E", 0),
                Arguments.of("a failing verdict read early still fails its batch",
                        "fail+0 updated+0", "ROLLING_BACK", "U U", 0),
                Arguments.of("an early verdict goes stale when the saga turns round before reaching it",
                        "pass+0 rollback", "ROLLING_BACK", "U U", 0),
                Arguments.of("a verdict for a later step is kept until the saga gets there and then applied",
                        "pass+2 updated+0 pass+0 enabled+0 updated+0 enabled+0", "SUCCEEDED", "U E U E", 0),
                Arguments.of("a duplicate update answer after the verdict wait began changes nothing",
                        "updated+0 updated+0 pass+0 enabled+0 updated+0 pass+0 enabled+0", "SUCCEEDED",
                        "U E U E", 0),
                Arguments.of("a deadline while verifying asks again; the answer then still counts",
                        "updated+0 deadline updated+0 pass+0 enabled+0 updated+0 pass+0 enabled+0", "SUCCEEDED",
                        "U U E U E", 0),
                Arguments.of("a second missed deadline turns the saga round",
                        "updated+0 deadline deadline", "ROLLING_BACK", "U U U", 0),
                Arguments.of("a verdict kept while the saga waits stays kept",
                        "pass+0", "IN_PROGRESS", "U", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void script(String name, String facts, String endStatus, String requests, int keptAtEnd) {
        RollingSaga saga = RollingSaga.start(new DeploymentRequested("d1", "shop", "2.0.0", "staging", NEW,
                StrategySpec.rolling("1"), "test", Instant.now()));
        saga.started();
        List<String> sent = new ArrayList<>();
        record(saga.onTargetsResolved(new TargetsResolved("d1", true, 2, Stream.of("a", "b")
                .map(id -> new InstanceRef(id, "127.0.0.1:1", "IN_SERVICE", OLD)).toList())), sent);
        for (String fact : facts.split(" ")) {
            record(play(saga, fact), sent);
        }
        assertEquals(endStatus, saga.state().status, "status after: " + facts);
        assertEquals(requests, String.join(" ", sent));
        assertEquals(keptAtEnd, saga.state().earlyAnswers.size(), "kept: " + saga.state().earlyAnswers);
        assertTrue(saga.state().earlyAnswers.size() <= AnswerBuffer.MAX_KEPT);
    }

    private static List<Effect> play(RollingSaga saga, String fact) {
        if (fact.equals("deadline")) {
            return withDrain(saga, saga.onDeadlineMissed());
        }
        if (fact.equals("rollback")) {
            return withDrain(saga, saga.onRollbackRequested("by hand"));
        }
        String word = fact.substring(0, fact.indexOf('+'));
        int step = saga.state().step + Integer.parseInt(fact.substring(fact.indexOf('+') + 1));
        StepAnswer answer = switch (word) {
            case "updated" -> StepAnswer.of(EventTypes.INSTANCES_UPDATED, changed(step));
            case "enabled" -> StepAnswer.of(EventTypes.INSTANCES_ENABLED, changed(step));
            case "pass" -> StepAnswer.of(verdict(step, VerdictReached.PASS));
            case "fail" -> StepAnswer.of(verdict(step, VerdictReached.FAIL));
            default -> throw new IllegalArgumentException(fact);
        };
        return AnswerBuffer.offer(saga, answer).stream().flatMap(a -> a.effects().stream()).toList();
    }

    /** As the orchestrator does after every fact: kept answers the saga now awaits are applied. */
    private static List<Effect> withDrain(Saga saga, List<Effect> effects) {
        List<Effect> all = new ArrayList<>(effects);
        AnswerBuffer.drain(saga).forEach(a -> all.addAll(a.effects()));
        return all;
    }

    private static InstancesChanged changed(int step) {
        return new InstancesChanged("d1", step, List.of(new InstanceOutcome("a", "x", "2.0.0", true, null)));
    }

    private static VerdictReached verdict(int step, String result) {
        return new VerdictReached("v", "d1", step, result, "probed", List.of(), Instant.now());
    }

    private static void record(List<Effect> effects, List<String> sent) {
        for (Effect e : effects) {
            if (e instanceof Effect.Command c) {
                StepRequest r = c.request();
                sent.add(switch (c.type()) {
                    case EventTypes.UPDATE_REQUESTED -> "U";
                    case EventTypes.ENABLE_REQUESTED -> "E";
                    default -> c.type() + r.step();
                });
            }
        }
    }
}
