package dev.stagecraft.health.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.ProbeMeasurement;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.health.probe.Probe;
import dev.stagecraft.health.probe.ProbeKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

class StepVerifierTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void probesEveryChangedInstanceAtOnce() {
        // Each probe answers only once all six have started: probing one after the other would never finish.
        CompletableFuture<Void> allStarted = new CompletableFuture<>();
        AtomicInteger started = new AtomicInteger();
        Probe probe = (id, address, kind) -> Uni.createFrom().emitter(answer -> {
            if (started.incrementAndGet() == 6) {
                allStarted.complete(null);
            }
            allStarted.thenRun(() -> answer.complete(passed(id, address, kind)));
        });
        InstancesChanged step = new InstancesChanged("d-1", 2, List.of(ok("i-1"), ok("i-2"), ok("i-3")));

        VerdictReached verdict = new StepVerifier(probe, new HealthMetrics(registry)).verify(step)
                .await().atMost(Duration.ofSeconds(5));

        assertEquals(VerdictReached.PASS, verdict.result());
        assertEquals("d-1", verdict.deploymentId());
        assertEquals(2, verdict.step());
        assertEquals(6, verdict.measurements().size());
        assertEquals(3, registry.timer("stagecraft_probe_seconds", "probe", "readiness", "outcome", "pass").count());
    }

    @Test
    void aProbeThatBreaksCountsAsAFailedProbe() {
        Probe probe = (id, address, kind) -> kind == ProbeKind.LIVENESS
                ? Uni.createFrom().item(passed(id, address, kind))
                : Uni.createFrom().failure(new IllegalStateException("bug"));

        VerdictReached verdict = new StepVerifier(probe, new HealthMetrics(registry))
                .verify(new InstancesChanged("d-1", 1, List.of(ok("i-1")))).await().atMost(Duration.ofSeconds(5));

        assertEquals(VerdictReached.FAIL, verdict.result());
        assertEquals("readiness of i-1 (127.0.0.1:1) failed: 0 attempts over 0.0s, no answer: probe could not run:"
                + " java.lang.IllegalStateException: bug", verdict.reason());
    }

    @Test
    void aStepWithoutChangedInstancesIsNotProbed() {
        Probe probe = (id, address, kind) -> {
            throw new AssertionError("nothing should be probed");
        };
        VerdictReached verdict = new StepVerifier(probe, new HealthMetrics(registry))
                .verify(new InstancesChanged("d-1", 1, List.of())).await().atMost(Duration.ofSeconds(5));

        assertEquals(VerdictReached.FAIL, verdict.result());
        assertEquals("nothing to verify: the step reported no instances", verdict.reason());
    }

    private static InstanceOutcome ok(String id) {
        return new InstanceOutcome(id, "127.0.0.1:1", "2.0.0", true, null);
    }

    private static ProbeMeasurement passed(String id, String address, ProbeKind kind) {
        return new ProbeMeasurement(id, address, kind.label(), true, 1, 200, 5, null);
    }
}
