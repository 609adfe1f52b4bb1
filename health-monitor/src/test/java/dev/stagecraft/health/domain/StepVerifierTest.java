package dev.stagecraft.health.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.ProbeMeasurement;
import dev.stagecraft.contracts.SmokeCheck;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.health.probe.Probe;
import dev.stagecraft.health.probe.ProbeKind;
import dev.stagecraft.health.smoke.SmokeCheckRunner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

class StepVerifierTest {
    private static final SmokeCheckRunner NO_SMOKE = (id, address, check) -> {
        throw new AssertionError("no smoke check declared, none may run");
    };
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void smokeChecksRunOnlyOnAReadyInstanceAndTheirFailureFailsTheStep() {
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        SmokeCheckRunner smoke = (id, address, check) -> {
            ran.add(id + " " + check.label());
            boolean ok = !"i-2".equals(id);
            return Uni.createFrom().item(new ProbeMeasurement(id, address, SmokeCheckRunner.PROBE_PREFIX + "'"
                    + check.label() + "'", ok, 1, ok ? 200 : 500, 2, ok ? null : "expected HTTP 200, got 500"));
        };
        Probe probe = (id, address, kind) -> Uni.createFrom().item("i-3".equals(id) && kind == ProbeKind.READINESS
                ? new ProbeMeasurement(id, address, kind.label(), false, 3, 503, 30, "HTTP 503")
                : passed(id, address, kind));
        List<SmokeCheck> checks = List.of(new SmokeCheck(null, "/api/cart", null, null, null, null));
        InstancesChanged step = new InstancesChanged("d-1", 2, List.of(withChecks("i-1", checks),
                withChecks("i-2", checks), withChecks("i-3", checks), ok("i-4")));

        VerdictReached verdict = new StepVerifier(probe, smoke, new HealthMetrics(registry)).verify(step)
                .await().atMost(Duration.ofSeconds(5));

        assertEquals(java.util.Set.of("i-1 GET /api/cart", "i-2 GET /api/cart"), java.util.Set.copyOf(ran),
                "not on i-3 (not ready) nor i-4 (its release declares none)");
        assertEquals(VerdictReached.FAIL, verdict.result());
        assertEquals("2 problems: smoke check 'GET /api/cart' of i-2 (127.0.0.1:1) failed: expected HTTP 200, got 500;"
                + " readiness of i-3 (127.0.0.1:1) failed: 3 attempts over 0.0s, last answer HTTP 503", verdict.reason());
        assertEquals(10, verdict.measurements().size(), "8 probes and 2 smoke checks: " + verdict.measurements());
    }

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

        VerdictReached verdict = new StepVerifier(probe, NO_SMOKE, new HealthMetrics(registry)).verify(step)
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

        VerdictReached verdict = new StepVerifier(probe, NO_SMOKE, new HealthMetrics(registry))
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
        VerdictReached verdict = new StepVerifier(probe, NO_SMOKE, new HealthMetrics(registry))
                .verify(new InstancesChanged("d-1", 1, List.of())).await().atMost(Duration.ofSeconds(5));

        assertEquals(VerdictReached.FAIL, verdict.result());
        assertEquals("nothing to verify: the step reported no instances", verdict.reason());
    }

    private static InstanceOutcome withChecks(String id, List<SmokeCheck> checks) {
        return new InstanceOutcome(id, "127.0.0.1:1", "2.0.0", true, null, null, null, checks);
    }

    private static InstanceOutcome ok(String id) {
        return new InstanceOutcome(id, "127.0.0.1:1", "2.0.0", true, null);
    }

    private static ProbeMeasurement passed(String id, String address, ProbeKind kind) {
        return new ProbeMeasurement(id, address, kind.label(), true, 1, 200, 5, null);
    }
}
