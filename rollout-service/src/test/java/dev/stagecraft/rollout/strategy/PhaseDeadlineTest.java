package dev.stagecraft.rollout.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.StepRequest;

class PhaseDeadlineTest {
    @ParameterizedTest(name = "{1} instances: {0} s + {2} ms each beyond 100 = {3} ms")
    @CsvSource({
            "120, 0,     20, 120000",
            "120, 10,    20, 120000",
            "120, 100,   20, 120000",
            "120, 101,   20, 120020",
            "120, 1000,  20, 138000",
            "120, 10000, 20, 318000",
            "30,  10000, 0,  30000",
    })
    void growsWithTheInstancesBeyondTheFirstHundred(int baseSeconds, int instances, int perInstanceMs, long expectedMs) {
        assertEquals(Duration.ofMillis(expectedMs),
                PhaseDeadline.of(Duration.ofSeconds(baseSeconds), instances, Duration.ofMillis(perInstanceMs)));
    }

    @Test
    void countsTheAwaitedRequestOrTheBatchBeingVerified() {
        SagaState s = new SagaState();
        assertEquals(0, PhaseDeadline.instancesOf(s));
        s.pending = new Effect.Command(EventTypes.PROVISION_REQUESTED,
                StepRequest.provision("d", 1, "svc", "env", 10_000, null));
        assertEquals(10_000, PhaseDeadline.instancesOf(s), "a provision: its count");
        s.pending = new Effect.Command(EventTypes.ENABLE_REQUESTED,
                StepRequest.forInstances("d", 2, "svc", "env", Collections.nCopies(1000, "i-1")));
        assertEquals(1000, PhaseDeadline.instancesOf(s), "enable or decommission: its ids");
        s.pending = null;
        s.batches = List.of(List.of("a"), Collections.nCopies(700, "i-2"));
        s.batchIndex = 1;
        assertEquals(700, PhaseDeadline.instancesOf(s), "verifying: the batch");
        s.batchIndex = 2;
        assertEquals(0, PhaseDeadline.instancesOf(s), "past the last batch: nothing");
    }
}
