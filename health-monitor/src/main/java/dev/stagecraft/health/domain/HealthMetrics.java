package dev.stagecraft.health.domain;

import java.time.Duration;

import dev.stagecraft.contracts.ProbeMeasurement;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * health-monitor's metrics for the operators' dashboards: {@code stagecraft_verdicts_total{result}}
 * and {@code stagecraft_probe_seconds{probe,outcome}}, how long probes took to pass or to give up.
 */
@ApplicationScoped
public class HealthMetrics {
    private final MeterRegistry registry;

    public HealthMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void verdictReached(String result) {
        registry.counter("stagecraft_verdicts_total", "result", result).increment();
    }

    public void probed(ProbeMeasurement measurement) {
        Timer.builder("stagecraft_probe_seconds")
                .description("How long a probe took until it passed or its deadline ran out")
                .tag("probe", measurement.probe())
                .tag("outcome", measurement.ok() ? "pass" : "fail")
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofMillis(measurement.elapsedMs()));
    }
}
