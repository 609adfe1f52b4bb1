package dev.stagecraft.health.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.stagecraft.contracts.ProbeMeasurement;
import dev.stagecraft.contracts.SmokeCheck;
import dev.stagecraft.health.probe.ProbeConfig;

/** Smoke checks against a real HTTP server on loopback: the request that is sent, and what is made of the answer. */
class HttpSmokeCheckRunnerTest {
    private static final Duration AT_MOST = Duration.ofSeconds(10);

    record Settings(String livenessPath, String readinessPath, Duration timeout, Duration interval, Duration deadline,
            int maxInFlight, int consecutiveSuccesses) implements ProbeConfig {
    }

    private final HttpSmokeCheckRunner runner = new HttpSmokeCheckRunner(new Settings("/health/live", "/health/ready",
            Duration.ofMillis(500), Duration.ofMillis(50), Duration.ofSeconds(1), 256, 1));

    @Test
    void sendsOneGetToThePathAndJudgesTheAnswer() throws IOException {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            boolean broken = exchange.getRequestURI().getPath().equals("/api/broken");
            byte[] body = (broken ? "{\"items\":null}" : "{\"items\":[]}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String address = "127.0.0.1:" + server.getAddress().getPort();
        try {
            ProbeMeasurement passed = runner.run("i-1", address, new SmokeCheck(null, "/api/cart?user=7", null, null,
                    Map.of("/items", "[]"), null)).await().atMost(AT_MOST);
            assertTrue(passed.ok(), passed.toString());
            assertEquals("smoke check 'GET /api/cart?user=7'", passed.probe());
            assertEquals(200, passed.lastStatus());

            ProbeMeasurement failed = runner.run("i-1", address, new SmokeCheck("cart", "/api/broken", null, null,
                    Map.of("/items", "[]"), null)).await().atMost(AT_MOST);
            assertFalse(failed.ok());
            assertEquals("smoke check 'cart'", failed.probe());
            assertEquals("expected /items to be [], got null", failed.error());
            assertEquals(List.of("GET /api/cart?user=7", "GET /api/broken"), requests, "one GET per check, no retry");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void sendsTheMethodTheHeadersAndAPostsJsonBody() throws IOException {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " key="
                    + exchange.getRequestHeaders().getFirst("X-Api-Key") + " type="
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " body=" + body);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            byte[] answer = "{\"total\":42}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body.contains("\"sku\"") ? 201 : 200, head ? -1 : answer.length);
            if (!head) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        server.start();
        String address = "127.0.0.1:" + server.getAddress().getPort();
        try {
            ProbeMeasurement posted = runner.run("i-1", address, new SmokeCheck(null, "/api/quote", 201, null,
                    Map.of("/total", "42"), null, "POST", Map.of("X-Api-Key", "k-1"), Map.of("sku", "a-1")))
                    .await().atMost(AT_MOST);
            assertTrue(posted.ok(), posted.toString());
            assertEquals("smoke check 'POST /api/quote'", posted.probe());
            ProbeMeasurement head = runner.run("i-1", address, new SmokeCheck(null, "/", null, null, null, null,
                    "HEAD", null, null)).await().atMost(AT_MOST);
            assertTrue(head.ok(), head.toString());
            ProbeMeasurement typed = runner.run("i-1", address, new SmokeCheck(null, "/api/raw", 200, null, null, null,
                    "POST", Map.of("Content-Type", "application/vnd.shop+json"), List.of(1))).await().atMost(AT_MOST);
            assertTrue(typed.ok(), typed.toString());
            assertEquals(List.of("POST /api/quote key=k-1 type=application/json body={\"sku\":\"a-1\"}",
                    "HEAD / key=null type=null body=",
                    "POST /api/raw key=null type=application/vnd.shop+json body=[1]"), requests);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aCheckTheRulesWouldRefuseGetsAFailedVerdictNotAThrow() {
        ProbeMeasurement refused = runner.run("i-3", "127.0.0.1:1", new SmokeCheck(null, "/", null, null, null, null,
                null, Map.of("Host", "evil.example"), null)).await().atMost(AT_MOST);
        assertFalse(refused.ok());
        assertTrue(refused.error().startsWith("cannot make a request of GET 127.0.0.1:1/"), refused.error());
    }

    @Test
    void anInstanceThatDoesNotAnswerFailsItsCheck() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        ProbeMeasurement failed = runner.run("i-2", "127.0.0.1:" + closed, new SmokeCheck(null, "/", null, null, null,
                "1s")).await().atMost(AT_MOST);
        assertFalse(failed.ok());
        assertEquals(null, failed.lastStatus());
        assertTrue(failed.error().startsWith("could not connect"), failed.error());
    }
}
