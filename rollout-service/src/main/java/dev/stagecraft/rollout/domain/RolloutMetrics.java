package dev.stagecraft.rollout.domain;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.rollout.strategy.SagaState;
import io.micrometer.core.instrument.Tags;

import dev.stagecraft.rollout.strategy.Phase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The saga's own metrics, for the operators' dashboards:
 * {@code stagecraft_deployments_total{strategy,outcome}}, {@code stagecraft_rollbacks_total{strategy,trigger}}
 * {@code stagecraft_rollout_step_seconds{phase,direction}}, and for canary and blue/green deployments in
 * progress {@code stagecraft_canary_weight{deployment,service,environment,strategy}}: the new pool's share of
 * the traffic in percent as the router confirmed it (removed when the deployment ends, so the label stays bounded).
 */
@ApplicationScoped
public class RolloutMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> weights = new ConcurrentHashMap<>();

    public RolloutMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Tracks the new pool's share of traffic while a canary or blue/green saga runs. */
    public void newPoolWeight(SagaState s) {
        if (StrategySpec.ROLLING.equals(s.strategyType)) {
            return;
        }
        if (s.phase == Phase.DONE) {
            AtomicInteger gone = weights.remove(s.deploymentId);
            if (gone != null) {
                registry.find("stagecraft_canary_weight").tag("deployment", s.deploymentId).meters()
                        .forEach(registry::remove);
            }
            return;
        }
        weights.computeIfAbsent(s.deploymentId, id -> registry.gauge("stagecraft_canary_weight",
                Tags.of("deployment", id, "service", s.service, "environment", s.environment, "strategy",
                        s.strategyType), new AtomicInteger())).set(s.newPoolWeight);
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
