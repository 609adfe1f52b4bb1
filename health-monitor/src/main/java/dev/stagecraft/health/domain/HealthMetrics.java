package dev.stagecraft.health.domain;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.stagecraft.contracts.AnalysisMeasurement;
import dev.stagecraft.contracts.ProbeMeasurement;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * health-monitor's metrics for the operators' dashboards: {@code stagecraft_verdicts_total{result,kind}}
 * (kind probe or analysis), {@code stagecraft_probe_seconds{probe,outcome}}, how long probes took to pass
 * or to give up, and for metric analyses {@code stagecraft_analysis_value{service,environment,pool,metric}},
 * the last value measured, {@code stagecraft_analysis_threshold{service,environment,metric}}, the threshold it was
 * judged against, and {@code stagecraft_analysis_requests_total{service,environment,pool}}, the
 * requests the analyses looked at. No deployment ids as labels: they would grow without bound.
 */
@ApplicationScoped
public class HealthMetrics {
    public static final String PROBE = "probe";
    public static final String ANALYSIS = "analysis";
    /** The pool label of the baseline's values. */
    static final String BASELINE = "baseline";
    /** The measured metrics that also get a gauge; relative checks repeat these values. */
    private static final List<String> GAUGED = List.of("error-rate", "p99-latency-ms");

    private final MeterRegistry registry;
    /** Gauges sample these; held here because the registry only keeps weak references to them. */
    private final Map<List<String>, AtomicReference<Double>> lastValues = new ConcurrentHashMap<>();

    public HealthMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void verdictReached(String result, String kind) {
        registry.counter("stagecraft_verdicts_total", "result", result, "kind", kind).increment();
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

    /** One analysis' measurements: the pool's and the baseline's values, and how many requests each had. */
    public void analysed(String serviceName, String environmentName, List<AnalysisMeasurement> measurements) {
        String service = label(serviceName);
        String environment = label(environmentName);
        for (AnalysisMeasurement m : measurements) {
            if (GAUGED.contains(m.metric()) && m.value() != null) {
                lastValue(service, environment, m.pool(), m.metric()).set(m.value());
            }
            if (GAUGED.contains(m.metric()) && m.threshold() != null) {
                threshold(service, environment, m.metric()).set(m.threshold());
            }
            String base = m.metric().replace("-vs-stable", "");
            if (!base.equals(m.metric()) && GAUGED.contains(base) && m.baseline() != null) {
                lastValue(service, environment, BASELINE, base).set(m.baseline());
            }
        }
        measurements.stream().filter(m -> "error-rate".equals(m.metric())).findFirst().ifPresent(m -> {
            requests(service, environment, m.pool(), m.requests());
            requests(service, environment, BASELINE, m.baselineRequests());
        });
    }

    private static String label(String value) {
        return value == null || value.isBlank() ? "unknown" : value;
    }

    private void requests(String service, String environment, String pool, long count) {
        if (count > 0) {
            registry.counter("stagecraft_analysis_requests_total", "service", service, "environment", environment,
                    "pool", pool).increment(count);
        }
    }

    /** The threshold the last analysis of the service in the environment judged {@code metric} against. */
    private AtomicReference<Double> threshold(String service, String environment, String metric) {
        return lastValues.computeIfAbsent(List.of(service, environment, "threshold", metric), key -> {
            AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
            Gauge.builder("stagecraft_analysis_threshold", value, AtomicReference::get)
                    .description("The threshold of the last metric analysis: error rate as a fraction, p99 in ms")
                    .tags("service", service, "environment", environment, "metric", metric)
                    .register(registry);
            return value;
        });
    }

    private AtomicReference<Double> lastValue(String service, String environment, String pool, String metric) {
        return lastValues.computeIfAbsent(List.of(service, environment, pool, metric), key -> {
            AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
            Gauge.builder("stagecraft_analysis_value", value, AtomicReference::get)
                    .description("The last value a metric analysis measured: error rate as a fraction, p99 in ms")
                    .tags("service", service, "environment", environment, "pool", pool, "metric", metric)
                    .register(registry);
            return value;
        });
    }
}
