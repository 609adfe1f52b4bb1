package dev.stagecraft.health.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

import dev.stagecraft.contracts.AnalysisRequest.Target;
import dev.stagecraft.health.analysis.AnalysisConfig;
import dev.stagecraft.health.provider.MetricProvider.PoolWatch;
import dev.stagecraft.health.testing.TestAnalysisConfig;
import org.junit.jupiter.api.Test;

/** Scraping instances that serve a /metrics page the test writes. */
class InstanceMetricProviderTest {
    private static final Duration AT_MOST = Duration.ofSeconds(10);
    private static final AnalysisConfig CONFIG = TestAnalysisConfig.defaults();
    private final InstanceMetricProvider provider = new InstanceMetricProvider(CONFIG.instances(),
            MetricNames.of(CONFIG.metrics()));

    @Test
    void sumsThePoolsTrafficSinceTheBeginning() {
        try (MetricsPage a = new MetricsPage(); MetricsPage b = new MetricsPage()) {
            a.counts(100, 0, 100);
            b.counts(50, 10, 60);
            PoolWatch watch = provider.begin(List.of(a.target("i-1"), b.target("i-2"))).await().atMost(AT_MOST);
            a.counts(180, 2, 170);
            b.counts(70, 30, 60);

            PoolStats stats = watch.sinceBegin().await().atMost(AT_MOST);

            assertEquals(2, stats.instances());
            assertEquals(80 + 2 + 20 + 20, stats.requests());
            assertEquals(22, stats.errors());
            // 122 requests, 70 + 10 of them fast (≤ 5ms), the rest ≤ 100ms: the 99th percentile is in the second bucket.
            assertEquals(5 + 95 * ((0.99 * 122 - 80) / 42), stats.p99Ms(), 1e-6);
            assertEquals(List.of(), stats.unreachable());
        }
    }

    @Test
    void anInstanceThatCannotBeScrapedIsListedAndTheOthersStillCount() {
        MetricsPage gone = new MetricsPage();
        try (MetricsPage a = new MetricsPage()) {
            a.counts(10, 0, 10);
            gone.counts(10, 0, 10);
            PoolWatch watch = provider.begin(List.of(a.target("i-1"), gone.target("i-2"))).await().atMost(AT_MOST);
            gone.close();
            a.counts(40, 0, 40);

            PoolStats stats = watch.sinceBegin().await().atMost(AT_MOST);

            assertEquals(30, stats.requests());
            assertEquals(1, stats.unreachable().size());
            assertEquals("i-2", stats.unreachable().get(0).instanceId());
            assertTrue(stats.unreachable().get(0).error().startsWith("could not connect"),
                    stats.unreachable().get(0).error());
        }
    }

    @Test
    void anInstanceUnreadableAtTheBeginningStartsFromItsFirstGoodScrape() {
        try (MetricsPage a = new MetricsPage()) {
            a.status(503);
            PoolWatch watch = provider.begin(List.of(a.target("i-1"))).await().atMost(AT_MOST);
            assertEquals("/metrics answered HTTP 503",
                    watch.sinceBegin().await().atMost(AT_MOST).unreachable().get(0).error());

            a.status(200);
            a.counts(1000, 10, 1000);
            assertEquals(0, watch.sinceBegin().await().atMost(AT_MOST).requests(), "its history before is not the window's");
            a.counts(1030, 13, 1030);
            assertEquals(33, watch.sinceBegin().await().atMost(AT_MOST).requests());
        }
    }

    @Test
    void aPageThatIsNotPrometheusTextCountsAsUnreadable() {
        try (MetricsPage a = new MetricsPage()) {
            a.body("<html>not metrics</html>");
            PoolStats stats = provider.begin(List.of(a.target("i-1"))).await().atMost(AT_MOST).sinceBegin()
                    .await().atMost(AT_MOST);
            assertTrue(stats.unreachable().get(0).error().startsWith("line 1 is not a Prometheus sample"),
                    stats.unreachable().get(0).error());
        }
    }

    /** A real HTTP server with a /metrics page in sample-app's format, whose numbers the test sets. */
    private static final class MetricsPage implements AutoCloseable {
        private final HttpServer server;
        private final AtomicReference<String> body = new AtomicReference<>("");
        private final AtomicInteger status = new AtomicInteger(200);

        MetricsPage() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/metrics", exchange -> {
                byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status.get(), bytes.length == 0 ? -1 : bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
        }

        Target target(String id) {
            return new Target(id, "127.0.0.1:" + server.getAddress().getPort());
        }

        void status(int code) {
            status.set(code);
        }

        void body(String text) {
            body.set(text);
        }

        /** ok and errors by status; fast answers (≤ 5ms) among ok ones, the rest of all ≤ 100ms. */
        void counts(long ok, long errors, long fast) {
            body("""
                    http_server_requests_total{status="200",path="/"} %d
                    http_server_requests_total{status="500",path="/"} %d
                    http_server_request_duration_seconds_bucket{status_class="2xx",path="/",le="0.005"} %d
                    http_server_request_duration_seconds_bucket{status_class="2xx",path="/",le="0.1"} %d
                    http_server_request_duration_seconds_bucket{status_class="2xx",path="/",le="+Inf"} %d
                    http_server_request_duration_seconds_bucket{status_class="5xx",path="/",le="0.005"} 0
                    http_server_request_duration_seconds_bucket{status_class="5xx",path="/",le="0.1"} %d
                    http_server_request_duration_seconds_bucket{status_class="5xx",path="/",le="+Inf"} %d
                    """.formatted(ok, errors, Math.min(fast, ok), ok, ok, errors, errors));
            status.set(200);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
