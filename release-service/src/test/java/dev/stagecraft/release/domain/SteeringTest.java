package dev.stagecraft.release.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.stagecraft.platform.api.Problem;

/** When pause, resume and promote may be asked for: strategy × status, and the fields a refusal names. */
class SteeringTest {

    @ParameterizedTest(name = "{0} a {1} deployment that is {2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            PAUSE   | canary     | IN_PROGRESS       | allowed
            PAUSE   | blue-green | IN_PROGRESS       | allowed
            PAUSE   | canary     | PAUSED            | status
            PAUSE   | rolling    | IN_PROGRESS       | strategy.type
            PAUSE   | rolling    | SUCCEEDED         | strategy.type, status
            PAUSE   | canary     | REQUESTED         | status
            PAUSE   | canary     | AWAITING_APPROVAL | status
            PAUSE   | canary     | ROLLING_BACK      | status
            RESUME  | canary     | PAUSED            | allowed
            RESUME  | blue-green | PAUSED            | allowed
            RESUME  | canary     | IN_PROGRESS       | status
            RESUME  | rolling    | PAUSED            | strategy.type
            RESUME  | blue-green | ROLLED_BACK       | status
            PROMOTE | canary     | IN_PROGRESS       | allowed
            PROMOTE | canary     | PAUSED            | allowed
            PROMOTE | blue-green | PAUSED            | allowed
            PROMOTE | blue-green | IN_PROGRESS       | allowed
            PROMOTE | rolling    | IN_PROGRESS       | strategy.type
            PROMOTE | canary     | SUCCEEDED         | status
            PROMOTE | canary     | ABORTED           | status
            PROMOTE | canary     | FAILED            | status
            PROMOTE | canary     | REJECTED          | status
            PROMOTE | canary     | AWAITING_APPROVAL | status
            """)
    void refusalsNameStrategyAndStatus(Steering action, String strategy, DeploymentStatus status, String expected) {
        List<String> fields = action.refusals(strategy, status).stream().map(Problem.Violation::field).toList();
        assertEquals(expected.equals("allowed") ? List.of() : List.of(expected.split(", ")), fields);
    }

    @ParameterizedTest(name = "{0} when {1}: ''{2}''")
    @CsvSource(delimiter = '|', textBlock = """
            PAUSE   | PAUSED            | PAUSED: it is paused already
            RESUME  | IN_PROGRESS       | IN_PROGRESS: it is not paused
            PROMOTE | SUCCEEDED         | SUCCEEDED: it has finished
            PROMOTE | AWAITING_APPROVAL | AWAITING_APPROVAL: it awaits approval; its saga has not started
            RESUME  | REQUESTED         | REQUESTED: its saga has not started yet
            PAUSE   | ROLLING_BACK      | ROLLING_BACK: it is rolling back
            """)
    void refusalsSayWhy(Steering action, DeploymentStatus status, String message) {
        assertEquals(List.of(message), action.refusals("canary", status).stream().map(Problem.Violation::message).toList());
    }

    @ParameterizedTest
    @CsvSource({"PAUSE, dev.stagecraft.deployment.pause-requested, deployment.pause-requested",
            "RESUME, dev.stagecraft.deployment.resume-requested, deployment.resume-requested",
            "PROMOTE, dev.stagecraft.deployment.promote-requested, deployment.promote-requested"})
    void eventTypesAndAuditActions(Steering action, String eventType, String auditAction) {
        assertEquals(eventType, action.eventType());
        assertEquals(auditAction, action.auditAction());
    }
}
