package dev.stagecraft.health.provider;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.AnalysisRequest.Target;
import dev.stagecraft.health.analysis.AnalysisConfig;
import dev.stagecraft.health.http.Http;
import dev.stagecraft.health.provider.PoolStats.Unreachable;
import io.smallrye.mutiny.Uni;

/**
 * Measures a pool with PromQL against a Prometheus server that scrapes the instances: each look asks for
 * the increase over the seconds since the window began. Prometheus sees the instances only every scrape
 * interval, so the last few seconds of a window may be missing; an instance Prometheus reports as down
 * ({@code up} = 0) is unreachable. When Prometheus itself does not answer, the look fails.
 */
public final class PrometheusMetricProvider implements MetricProvider {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AnalysisConfig.Prometheus config;
    private final HttpClient client;

    public PrometheusMetricProvider(AnalysisConfig.Prometheus config) {
        this.config = config;
        this.client = Http.client(config.timeout());
    }

    @Override
    public Uni<PoolWatch> begin(List<Target> pool) {
        long began = System.nanoTime();
        PoolWatch watch = () -> measure(pool, began);
        return Uni.createFrom().item(watch);
    }

    private Uni<PoolStats> measure(List<Target> pool, long began) {
        // Whole seconds, rounded up: a range shorter than the window would miss its first requests.
        long window = Math.max(1, (System.nanoTime() - began + 999_999_999L) / 1_000_000_000L);
        return Uni.combine().all()
                .unis(query(config.requestsQuery(), pool, window), query(config.errorsQuery(), pool, window),
                        query(config.p99Query(), pool, window), query(config.upQuery(), pool, window))
                .with((requests, errors, p99, up) -> new PoolStats(pool.size(), Math.round(sum(requests)),
                        Math.round(sum(errors)), first(p99) * 1000, down(pool, up)));
    }

    /** The result vector of an instant query: one sample per series. */
    private Uni<JsonNode> query(String template, List<Target> pool, long window) {
        String promql = PromQl.render(template, pool, window);
        URI uri = URI.create(config.url().replaceAll("/+$", "") + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return Http.getText(client, uri, config.timeout())
                .onFailure().transform(f -> new IllegalStateException("Prometheus at " + config.url()
                        + " did not answer: " + Http.describe(f, config.timeout()), f))
                .map(response -> {
                    JsonNode body = readJson(response.body());
                    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                        throw new IllegalStateException("Prometheus at " + config.url() + " answered HTTP "
                                + response.statusCode() + " to " + promql + ": " + body.path("error").asText(""));
                    }
                    return body.path("data").path("result");
                });
    }

    private static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static double value(JsonNode sample) {
        return PrometheusText.value(sample.path("value").path(1).asText("NaN"));
    }

    /** An empty vector is no increase at all: no series had two samples in the range yet. */
    private static double sum(JsonNode vector) {
        double sum = 0;
        for (JsonNode sample : vector) {
            sum += value(sample);
        }
        return sum;
    }

    private static double first(JsonNode vector) {
        return vector.isEmpty() ? Double.NaN : value(vector.get(0));
    }

    /** The pool's instances Prometheus failed to scrape last time. One it does not know at all is not listed. */
    private static List<Unreachable> down(List<Target> pool, JsonNode up) {
        List<Unreachable> down = new ArrayList<>();
        for (JsonNode sample : up) {
            String instance = sample.path("metric").path("instance").asText();
            if (value(sample) == 0) {
                pool.stream().filter(t -> t.address().equals(instance)).findFirst().ifPresent(t -> down.add(
                        new Unreachable(t.instanceId(), t.address(), "Prometheus could not scrape it (up = 0)")));
            }
        }
        return down;
    }
}
