package dev.stagecraft.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * A router process in this JVM, against two real HTTP servers: its admin API sets and reads back whole tables,
 * refuses an older generation and a missing token, waits for a drained backend's request in flight, and a router
 * started again on the same file routes at its last table from its first request.
 */
class RouterProcessTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final String TOKEN = "t0ken";

    @TempDir
    Path dir;
    private HttpServer a;
    private HttpServer b;
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private RouterProcess router;

    @BeforeEach
    void backends() throws IOException {
        a = backend("a");
        b = backend("b");
    }

    @AfterEach
    void stop() throws IOException {
        releaseSlow.countDown();
        if (router != null) {
            router.close();
        }
        a.stop(0);
        b.stop(0);
    }

    private HttpServer backend(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/slow")) {
                slowStarted.countDown();
                try {
                    releaseSlow.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private RouterProcess start(int port) throws Exception {
        return RouterProcess.start(RouterProcessConfig.fromEnv(Map.of("ROUTER_SERVICE", "shop", "ROUTER_ENVIRONMENT",
                "staging", "BIND_ADDRESS", "127.0.0.1", "PORT", Integer.toString(port), "ADMIN_PORT", "0",
                "ADMIN_TOKEN", TOKEN, "ROUTES_FILE", dir.resolve("routes.json").toString())));
    }

    private static String address(HttpServer server) {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private HttpResponse<String> admin(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.adminPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String table(long generation, int weightA, int weightB, long drainMillis) {
        return new RouteTable(generation, Map.of("a", new Backend(address(a), weightA), "b",
                new Backend(address(b), weightB))).toJson().put("drainTimeoutMillis", drainMillis).encode();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(router.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void setsAndReadsBackWholeTablesAndKeepsTheLastOneAcrossARestart() throws Exception {
        router = start(0);
        assertEquals(200, admin("GET", "/health/live", null, null).statusCode());
        assertEquals(401, admin("GET", "/routes", null, null).statusCode());
        assertEquals(401, admin("PUT", "/routes", table(1, 100, 0, 0), "wrong").statusCode());
        assertEquals(503, get("/").statusCode(), "no backend yet");

        HttpResponse<String> put = admin("PUT", "/routes", table(5, 0, 100, 0), TOKEN);
        assertEquals(200, put.statusCode(), put.body());
        JsonObject read = new JsonObject(admin("GET", "/routes", null, TOKEN).body());
        assertEquals(5, read.getLong("generation"));
        assertEquals(0, read.getJsonObject("backends").getJsonObject("a").getInteger("weight"));
        assertEquals(100, read.getJsonObject("backends").getJsonObject("b").getInteger("weight"));
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> answer = get("/");
            assertEquals("b", answer.body(), "weight 0 gets nothing");
            assertEquals("b", answer.headers().firstValue(ProxiedRequest.INSTANCE_HEADER).orElseThrow());
        }

        HttpResponse<String> stale = admin("PUT", "/routes", table(4, 100, 0, 0), TOKEN);
        assertEquals(409, stale.statusCode());
        assertEquals(5, new JsonObject(stale.body()).getLong("generation"), "an older table changes nothing");
        assertEquals(400, admin("PUT", "/routes", "{\"generation\":6,\"backends\":{\"a\":{\"weight\":1}}}", TOKEN)
                .statusCode());

        int port = Integer.parseInt(router.url().substring(router.url().lastIndexOf(':') + 1));
        router.close();
        router = start(port);
        assertEquals("b", get("/").body(), "routes at its last table from its first request");
        assertEquals(5, new JsonObject(admin("GET", "/routes", null, TOKEN).body()).getLong("generation"));
        assertTrue(admin("GET", "/metrics", null, TOKEN).body()
                .contains("stagecraft_router_requests_total{service=\"shop\",environment=\"staging\",instance=\"b\","
                        + "outcome=\"answered\"} 1"));
    }

    @Test
    void servesPrometheusTextWithoutATokenCountingTimingAndWeighingEveryRequest() throws Exception {
        router = start(0);
        assertEquals(200, admin("PUT", "/routes", table(7, 100, 0, 0), TOKEN).statusCode());
        for (int i = 0; i < 10; i++) {
            assertEquals("a", get("/").body());
        }
        HttpResponse<String> scraped = admin("GET", "/metrics", null, null);
        assertEquals(200, scraped.statusCode());
        assertTrue(scraped.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        String text = scraped.body();
        String fleet = "service=\"shop\",environment=\"staging\"";
        assertEquals(10, value(text, "stagecraft_router_requests_total{" + fleet + ",instance=\"a\",outcome=\"answered\"}"));
        assertEquals(10, value(text, "stagecraft_router_request_duration_seconds_count{" + fleet + ",outcome=\"answered\"}"));
        assertEquals(10, value(text, "stagecraft_router_request_duration_seconds_bucket{" + fleet
                + ",outcome=\"answered\",le=\"+Inf\"}"));
        assertTrue(value(text, "stagecraft_router_request_duration_seconds_sum{" + fleet + ",outcome=\"answered\"}") > 0);
        double previous = 0;
        for (double bound : LatencyHistogram.BOUNDS) {
            double bucket = value(text, "stagecraft_router_request_duration_seconds_bucket{" + fleet
                    + ",outcome=\"answered\",le=\"" + bound + "\"}");
            assertTrue(bucket >= previous, "cumulative buckets: " + bound);
            previous = bucket;
        }
        assertEquals(100, value(text, "stagecraft_router_backend_weight{" + fleet + ",instance=\"a\",address=\""
                + address(a) + "\"}"));
        assertEquals(0, value(text, "stagecraft_router_backend_weight{" + fleet + ",instance=\"b\",address=\""
                + address(b) + "\"}"));
        assertEquals(7, value(text, "stagecraft_router_table_generation{" + fleet + "}"));
        assertTrue(value(text, "process_resident_memory_bytes") > 1_000_000);
        assertTrue(text.contains("# TYPE stagecraft_router_request_duration_seconds histogram"));
    }

    /** The value of the one sample named exactly so (name and labels as written), failing if there is none. */
    static double value(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no sample " + series + " in\n" + text));
    }

    @Test
    void aTableThatDrainsABackendAnswersOnceItsRequestInFlightEndedOrNamesItBusy() throws Exception {
        router = start(0);
        assertEquals(200, admin("PUT", "/routes", table(1, 100, 0, 0), TOKEN).statusCode());
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return get("/slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(slowStarted.await(10, TimeUnit.SECONDS));

        HttpResponse<String> timedOut = admin("PUT", "/routes", table(2, 0, 100, 200), TOKEN);
        assertEquals(List.of("a"), new JsonObject(timedOut.body()).getJsonArray("busy").getList());

        CompletableFuture<HttpResponse<String>> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return admin("PUT", "/routes", table(3, 0, 100, 10_000), TOKEN);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertTrue(!drained.isDone(), "waits for the request in flight");
        // A scrape meanwhile is answered (not queued behind the drain) and shows the request in flight.
        assertEquals(1, value(admin("GET", "/metrics", null, null).body(), "stagecraft_router_backend_in_flight{"
                + "service=\"shop\",environment=\"staging\",instance=\"a\"}"));
        releaseSlow.countDown();
        assertEquals("a", slow.get(10, TimeUnit.SECONDS).body());
        assertEquals(List.of(), new JsonObject(drained.get(10, TimeUnit.SECONDS).body()).getJsonArray("busy").getList());
    }
}
