package dev.stagecraft.health.provider;

import java.util.Map;
import java.util.regex.Pattern;

import dev.stagecraft.health.analysis.AnalysisConfig;

/** Which series of a scrape are requests, which of those are errors, and which are latency buckets. */
public record MetricNames(String requests, String statusLabel, Pattern errorStatus, String buckets) {

    public static MetricNames of(AnalysisConfig.Metrics config) {
        return new MetricNames(config.requests(), config.statusLabel(), Pattern.compile(config.errorStatus()),
                config.latencyHistogram() + "_bucket");
    }

    boolean isError(Map<String, String> requestLabels) {
        String status = requestLabels.get(statusLabel);
        return status != null && errorStatus.matcher(status).matches();
    }
}
