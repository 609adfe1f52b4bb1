package dev.stagecraft.health.analysis;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How metric analyses measure pools. The defaults read the sample app's metrics straight from each
 * instance; {@code provider=prometheus} asks a Prometheus server instead.
 */
@ConfigMapping(prefix = "stagecraft.analysis")
public interface AnalysisConfig {
    enum Provider {
        INSTANCES,
        PROMETHEUS
    }

    /** Where measurements come from: {@code instances} (scrape every instance) or {@code prometheus} (PromQL). */
    @WithDefault("instances")
    Provider provider();

    /** Checks closer together than this are spread out to it: an instance's /metrics is not to be hammered. */
    @WithDefault("1s")
    Duration minInterval();

    /** The metric names, as the workload exposes them. */
    Metrics metrics();

    Instances instances();

    Prometheus prometheus();

    Synthetic synthetic();

    interface Metrics {
        /** Counter of requests, with a status-code label. */
        @WithDefault("http_server_requests_total")
        String requests();

        @WithDefault("status")
        String statusLabel();

        /** A regular expression: the statuses that count as errors. */
        @WithDefault("5..")
        String errorStatus();

        /** Latency histogram in seconds, without the {@code _bucket} suffix. */
        @WithDefault("http_server_request_duration_seconds")
        String latencyHistogram();
    }

    interface Instances {
        @WithDefault("/metrics")
        String metricsPath();

        /** How long one scrape may take; an instance that takes longer counts as unreachable for that check. */
        @WithDefault("2s")
        Duration scrapeTimeout();
    }

    interface Prometheus {
        @WithDefault("http://127.0.0.1:9090")
        String url();

        @WithDefault("5s")
        Duration timeout();

        /**
         * PromQL templates. {@code {instances}} is a regular expression matching the pool's addresses (the
         * {@code instance} label Prometheus gives a static target), {@code {window}} the seconds since the
         * window began. Requests and errors are counts, p99 in seconds, up is 1 or 0 per instance.
         */
        @WithDefault("sum(increase(http_server_requests_total{instance=~\"{instances}\"}[{window}s]))")
        String requestsQuery();

        @WithDefault("sum(increase(http_server_requests_total{instance=~\"{instances}\",status=~\"5..\"}[{window}s]))")
        String errorsQuery();

        @WithDefault("histogram_quantile(0.99, sum by (le) (increase(http_server_request_duration_seconds_bucket"
                + "{instance=~\"{instances}\"}[{window}s])))")
        String p99Query();

        @WithDefault("up{instance=~\"{instances}\"}")
        String upQuery();
    }

    interface Synthetic {
        /** What synthetic traffic asks each instance for. */
        @WithDefault("/")
        String path();

        @WithDefault("2s")
        Duration timeout();

        /** An upper bound on any request's {@code syntheticRequests}. */
        @WithDefault("5000")
        int maxRequests();

        /** Requests that may wait for an answer at once; further sends wait for the next tick. */
        @WithDefault("16")
        int maxInFlight();

        /** The share of the window the requests are spread over, so the last ones are measured before it ends. */
        @WithDefault("0.8")
        double spread();
    }
}
