package dev.stagecraft.health.provider;

import dev.stagecraft.health.analysis.AnalysisConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The provider {@code stagecraft.analysis.provider} names. */
@ApplicationScoped
public class MetricProviders {

    @Produces
    @ApplicationScoped
    MetricProvider provider(AnalysisConfig config) {
        return switch (config.provider()) {
            case INSTANCES -> new InstanceMetricProvider(config.instances(), MetricNames.of(config.metrics()));
            case PROMETHEUS -> new PrometheusMetricProvider(config.prometheus());
        };
    }
}
