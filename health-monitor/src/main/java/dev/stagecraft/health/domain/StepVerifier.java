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
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Probes every instance a step changed, all at once, and judges the step. Touches no database: this
 * takes seconds, and no transaction should stay open that long. The verdict may be emitted on any thread.
 */
@ApplicationScoped
public class StepVerifier {
    private final Probe probe;
    private final HealthMetrics metrics;

    public StepVerifier(Probe probe, HealthMetrics metrics) {
        this.probe = probe;
        this.metrics = metrics;
    }

    public Uni<VerdictReached> verify(InstancesChanged step) {
        List<Uni<ProbeMeasurement>> probes = step.outcomes().stream()
                .filter(InstanceOutcome::ok)
                .flatMap(instance -> Stream.of(ProbeKind.values()).map(kind -> measure(instance, kind)))
                .toList();
        Uni<List<ProbeMeasurement>> measured = probes.isEmpty()
                ? Uni.createFrom().item(List.of())
                : Uni.join().all(probes).andFailFast();
        return measured.map(measurements -> {
            Judgement judgement = VerdictRules.judge(step.outcomes(), measurements);
            return new VerdictReached(UUID.randomUUID().toString(), step.deploymentId(), step.step(),
                    judgement.result(), judgement.reason(), measurements, Instant.now());
        });
    }

    private Uni<ProbeMeasurement> measure(InstanceOutcome instance, ProbeKind kind) {
        return probe.check(instance.instanceId(), instance.address(), kind)
                // A probe that breaks its promise still yields evidence, never a verdict-less step.
                .onFailure().recoverWithItem(failure -> new ProbeMeasurement(instance.instanceId(),
                        instance.address(), kind.label(), false, 0, null, 0, "probe could not run: " + failure))
                .invoke(metrics::probed);
    }
}
