package dev.stagecraft.health.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.ProbeMeasurement;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.health.probe.Probe;
import dev.stagecraft.health.probe.ProbeKind;
import dev.stagecraft.health.smoke.SmokeCheckRunner;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Probes every instance a step changed, all at once, and judges the step. Once an instance answers ready, the smoke
 * checks of the release it runs (carried in its outcome) run against it, all at once: a step passes only if they
 * pass too, before the saga gives the instance traffic. Touches no database: this
 * takes seconds, and no transaction should stay open that long. The verdict may be emitted on any thread.
 */
@ApplicationScoped
public class StepVerifier {
    private final Probe probe;
    private final SmokeCheckRunner smoke;
    private final HealthMetrics metrics;

    public StepVerifier(Probe probe, SmokeCheckRunner smoke, HealthMetrics metrics) {
        this.probe = probe;
        this.smoke = smoke;
        this.metrics = metrics;
    }

    public Uni<VerdictReached> verify(InstancesChanged step) {
        List<Uni<List<ProbeMeasurement>>> probes = step.outcomes().stream()
                .filter(InstanceOutcome::ok)
                .flatMap(instance -> Stream.of(ProbeKind.values()).map(kind -> measure(instance, kind)
                        .chain(m -> kind == ProbeKind.READINESS && m.ok() ? withSmokeChecks(instance, m)
                                : Uni.createFrom().item(List.of(m)))))
                .toList();
        Uni<List<ProbeMeasurement>> measured = probes.isEmpty()
                ? Uni.createFrom().item(List.of())
                : Uni.join().all(probes).andFailFast().map(lists -> lists.stream().flatMap(List::stream).toList());
        return measured.map(measurements -> {
            Judgement judgement = VerdictRules.judge(step.outcomes(), measurements);
            return new VerdictReached(UUID.randomUUID().toString(), step.deploymentId(), step.step(),
                    judgement.result(), judgement.reason(), measurements, Instant.now());
        });
    }

    /** The readiness measurement, then one per smoke check of the instance's release, run at once. */
    private Uni<List<ProbeMeasurement>> withSmokeChecks(InstanceOutcome instance, ProbeMeasurement ready) {
        if (instance.smokeChecks().isEmpty()) {
            return Uni.createFrom().item(List.of(ready));
        }
        List<Uni<ProbeMeasurement>> checks = instance.smokeChecks().stream()
                .map(check -> smoke.run(instance.instanceId(), instance.address(), check)
                        .onFailure().recoverWithItem(failure -> new ProbeMeasurement(instance.instanceId(),
                                instance.address(), SmokeCheckRunner.PROBE_PREFIX + "'" + check.label() + "'", false,
                                0, null, 0, "could not run: " + failure)))
                .toList();
        return Uni.join().all(checks).andFailFast().map(done -> Stream.concat(Stream.of(ready), done.stream()).toList());
    }

    private Uni<ProbeMeasurement> measure(InstanceOutcome instance, ProbeKind kind) {
        return probe.check(instance.instanceId(), instance.address(), kind)
                // A probe that breaks its promise still yields evidence, never a verdict-less step.
                .onFailure().recoverWithItem(failure -> new ProbeMeasurement(instance.instanceId(),
                        instance.address(), kind.label(), false, 0, null, 0, "probe could not run: " + failure))
                .invoke(metrics::probed);
    }
}
