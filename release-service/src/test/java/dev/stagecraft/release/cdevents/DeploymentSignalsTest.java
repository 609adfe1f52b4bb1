package dev.stagecraft.release.cdevents;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.stagecraft.release.cdevents.DeploymentSignals.Signal;
import dev.stagecraft.release.domain.DeploymentStatus;

class DeploymentSignalsTest {

    @ParameterizedTest(name = "{0} -> {1}, rollback deployment {2}: {3}")
    @CsvSource(delimiter = '|', value = {
            // rolled out: the service runs the release, and is restored from any FAILED deployment before
            "IN_PROGRESS | SUCCEEDED | false | ROLLED_OUT EARLIER_INCIDENTS_RESOLVED",
            "IN_PROGRESS | BAKING | false | ROLLED_OUT EARLIER_INCIDENTS_RESOLVED",
            "PAUSED | SUCCEEDED | false | ROLLED_OUT EARLIER_INCIDENTS_RESOLVED",
            "REQUESTED | SUCCEEDED | false | ROLLED_OUT EARLIER_INCIDENTS_RESOLVED",
            // ... but a bake's rollback deployment tells its release as the rolled-back deployment's end
            "IN_PROGRESS | SUCCEEDED | true | EARLIER_INCIDENTS_RESOLVED",
            // the bake ends: told already when it began
            "BAKING | SUCCEEDED | false | ''",
            // rollbacks: detected when they begin, resolved when the old release serves
            "IN_PROGRESS | ROLLING_BACK | false | INCIDENT_DETECTED",
            "PAUSED | ROLLING_BACK | false | INCIDENT_DETECTED",
            "BAKING | ROLLING_BACK | false | INCIDENT_DETECTED",
            "REQUESTED | ROLLING_BACK | false | INCIDENT_DETECTED",
            "ROLLING_BACK | ROLLING_BACK | false | ''",
            "ROLLING_BACK | ROLLED_BACK | false | ROLLED_BACK INCIDENT_RESOLVED",
            "ROLLING_BACK | ROLLED_BACK | true | ROLLED_BACK INCIDENT_RESOLVED",
            "PAUSED | ROLLED_BACK | false | INCIDENT_DETECTED ROLLED_BACK INCIDENT_RESOLVED",
            // an abort restores the batch in flight through ROLLING_BACK, and its end resolves that
            "ROLLING_BACK | ABORTED | false | INCIDENT_RESOLVED",
            // failed: an incident if the fleet was touched, left open if a rollback failed
            "IN_PROGRESS | FAILED | false | INCIDENT_DETECTED",
            "BAKING | FAILED | false | INCIDENT_DETECTED",
            "ROLLING_BACK | FAILED | false | ''",
            "REQUESTED | FAILED | false | ''",
            // nothing that concerns a consumer of CDEvents
            "REQUESTED | IN_PROGRESS | false | ''",
            "IN_PROGRESS | PAUSED | false | ''",
            "PAUSED | IN_PROGRESS | false | ''",
            "IN_PROGRESS | ABORTED | false | ''",
            "AWAITING_APPROVAL | REJECTED | false | ''",
            "REQUESTED | ABORTED | false | ''",
    })
    void signalsOfAMove(DeploymentStatus from, DeploymentStatus to, boolean rollbackDeployment, String expected) {
        Set<Signal> want = expected.isBlank() ? EnumSet.noneOf(Signal.class)
                : Arrays.stream(expected.split(" ")).map(Signal::valueOf)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Signal.class)));
        assertEquals(want, DeploymentSignals.of(from, to, rollbackDeployment));
    }
}
