package dev.stagecraft.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Starts the real server on a free loopback port and talks HTTP to it. */
class SampleServerTest {

    private static final SampleConfig ON_FREE_PORT = SampleConfig.defaults().withPort(0);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void errorRateOneFailsEveryRequestAndCountsIt() throws Exception {
        try (SampleServer server = SampleServer.start(ON_FREE_PORT.withErrorRate(1.0))) {
            HttpResponse<String> root = get(server, "/");
            assertEquals(500, root.statusCode());

            String metrics = get(server, "/metrics").body();
            assertTrue(metrics.contains("http_server_requests_total{status=\"500\",path=\"/\"} 1\n"), metrics);
            assertTrue(metrics.contains("http_server_requests_total{status=\"200\",path=\"/\"} 0\n"), metrics);
            assertTrue(metrics.contains(
                    "http_server_request_duration_seconds_count{status_class=\"5xx\",path=\"/\"} 1\n"), metrics);
            assertTrue(metrics.contains(
                    "http_server_request_duration_seconds_bucket{status_class=\"5xx\",path=\"/\",le=\"+Inf\"} 1\n"), metrics);
        }
    }

    @Test
    void readyFailAnswers503WhileStayingAlive() throws Exception {
        try (SampleServer server = SampleServer.start(ON_FREE_PORT.withReadyFail(true))) {
            HttpResponse<String> ready = get(server, "/health/ready");
            assertEquals(503, ready.statusCode());
            assertEquals("{\"status\":\"DOWN\",\"reason\":\"SAMPLE_READY_FAIL=true\"}", ready.body());

            assertEquals(200, get(server, "/health/live").statusCode());
        }
    }

    @Test
    void healthyServerAnswersVersionAndIgnoresProbesInMetrics() throws Exception {
        try (SampleServer server = SampleServer.start(ON_FREE_PORT)) {
            HttpResponse<String> root = get(server, "/");
            assertEquals(200, root.statusCode());
            assertEquals("application/json", root.headers().firstValue("Content-Type").orElse(""));
            assertEquals("{\"version\":\"0.0.0\",\"instance\":\"" + server.instanceId() + "\"}", root.body());
            assertTrue(server.instanceId().endsWith(":" + server.port()), server.instanceId());

            assertEquals(200, get(server, "/health/ready").statusCode());
            assertEquals(404, get(server, "/nope").statusCode());

            HttpResponse<String> metrics = get(server, "/metrics");
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertTrue(metrics.body().contains("http_server_requests_total{status=\"200\",path=\"/\"} 1\n"), metrics.body());
            assertTrue(metrics.body().contains("sample_app_info{version=\"0.0.0\"} 1\n"), metrics.body());
        }
    }

    @Test
    void theCartWorksUntilABrokenReleaseBreaksItWhileHealthStaysUp() throws Exception {
        try (SampleServer server = SampleServer.start(ON_FREE_PORT)) {
            HttpResponse<String> cart = get(server, "/api/cart");
            assertEquals(200, cart.statusCode());
            assertEquals("{\"items\":[]}", cart.body());
        }
        try (SampleServer server = SampleServer.start(ON_FREE_PORT.withCartBroken(true))) {
            assertEquals(500, get(server, "/api/cart").statusCode());
            assertEquals(200, get(server, "/health/ready").statusCode());
        }
    }

    @Test
    void startupDelayKeepsReadinessDownUntilItPasses() throws Exception {
        try (SampleServer server = SampleServer.start(ON_FREE_PORT.withStartupDelayMs(60_000))) {
            assertEquals(503, get(server, "/health/ready").statusCode());
        }
    }

    @Test
    void bindAddressServesThereAndNowhereElse() throws Exception {
        try (SampleServer server = SampleServer.start(ON_FREE_PORT.withBindAddress("127.0.0.2"))) {
            assertEquals(200, get("127.0.0.2", server, "/health/live").statusCode());
            assertThrows(java.net.ConnectException.class, () -> get(server, "/health/live"));
        }
    }

    private HttpResponse<String> get(SampleServer server, String path) throws IOException, InterruptedException {
        return get("127.0.0.1", server, path);
    }

    private HttpResponse<String> get(String address, SampleServer server, String path)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + ":" + server.port() + path))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
