package dev.stagecraft.rollout.domain;

import java.time.Duration;

import dev.stagecraft.rollout.strategy.Phase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The saga's own metrics, for the operators' dashboards:
 * {@code stagecraft_deployments_total{strategy,outcome}}, {@code stagecraft_rollbacks_total{strategy,trigger}}
 * and {@code stagecraft_rollout_step_seconds{phase,direction}}.
 */
@ApplicationScoped
public class RolloutMetrics {
    private final MeterRegistry registry;

    public RolloutMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void deploymentEnded(String strategy, String outcome) {
        registry.counter("stagecraft_deployments_total", "strategy", strategy, "outcome", outcome).increment();
    }

    public void rollbackStarted(String strategy, String trigger) {
        registry.counter("stagecraft_rollbacks_total", "strategy", strategy, "trigger", trigger).increment();
    }

    public void phaseTook(Phase phase, boolean rollingBack, Duration took) {
        Timer.builder("stagecraft_rollout_step_seconds")
                .description("How long each saga phase took, from its request to its answer")
                .tag("phase", phase.name().toLowerCase())
                .tag("direction", rollingBack ? "rollback" : "forward")
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
    }
}
