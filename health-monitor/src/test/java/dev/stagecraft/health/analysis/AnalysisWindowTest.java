package dev.stagecraft.health.analysis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import com.sun.net.httpserver.HttpServer;

import dev.stagecraft.contracts.AnalysisRequest;
import dev.stagecraft.contracts.AnalysisRequest.Target;
import dev.stagecraft.contracts.AnalysisSpec;
import dev.stagecraft.health.analysis.AnalysisJudge.Outcome;
import dev.stagecraft.health.provider.MetricProvider;
import dev.stagecraft.health.provider.PoolStats;
import dev.stagecraft.health.testing.TestAnalysisConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The window's timing against a scripted provider, on a real Vert.x: looks every interval, early fail, synthetic traffic. */
class AnalysisWindowTest {
    private static final Duration AT_MOST = Duration.ofSeconds(15);
    private static final AnalysisSpec SPEC = new AnalysisSpec(null, null, null, null, null, 20, null, null);
    private static Vertx vertx;
    private static SyntheticTraffic synthetic;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        synthetic = new SyntheticTraffic(TestAnalysisConfig.defaults().synthetic(), vertx);
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void looksEveryIntervalAndPassesAtTheEnd() {
        ScriptedProvider provider = new ScriptedProvider(look -> stats(100, 0));

        Outcome outcome = window(request(1_000, 0), Duration.ofMillis(300), provider).await().atMost(AT_MOST);

        assertEquals("PASS", outcome.result(), outcome.reason());
        assertEquals(4, provider.looks.get(), "at 300, 600 and 900 ms, and at the end");
        assertEquals(1, provider.begun.get());
    }

    @Test
    void aBreachEndsTheWindowEarly() {
        ScriptedProvider provider = new ScriptedProvider(look -> look < 2 ? stats(10, 0) : stats(100, 40));

        Outcome outcome = window(request(60_000, 0), Duration.ofMillis(200), provider).await().atMost(AT_MOST);

        assertEquals("FAIL", outcome.result());
        assertTrue(outcome.reason().startsWith("error rate 40.0% over 100 requests to the canary broke the limit"
                + " of 1.0% (maxErrorRate) after 0."), outcome.reason());
        assertTrue(outcome.reason().endsWith("s of a 1m window"), outcome.reason());
        assertEquals(2, provider.looks.get());
    }

    @Test
    void aFailedLookIsTakenAgainAndAnUnmeasuredEndIsInconclusive() {
        ScriptedProvider provider = new ScriptedProvider(look -> {
            throw new IllegalStateException("Prometheus did not answer");
        });

        Outcome outcome = window(request(1_000, 0), Duration.ofMillis(400), provider).await().atMost(AT_MOST);

        assertEquals("INCONCLUSIVE", outcome.result());
        assertEquals("the canary could not be measured: Prometheus did not answer", outcome.reason());
        assertEquals(3, provider.looks.get());
    }

    @Test
    void syntheticTrafficGoesRoundRobinOverThePool() throws IOException {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        HttpServer a = countingServer(first);
        HttpServer b = countingServer(second);
        try {
            List<Target> pool = List.of(target("i-1", a), target("i-2", b));
            AnalysisRequest request = new AnalysisRequest("d-1", 3, "svc", "prod", "green", pool, List.of(), 1_000,
                    SPEC, 20);

            Outcome outcome = window(request, Duration.ofMillis(500), new ScriptedProvider(look -> stats(20, 0)))
                    .await().atMost(AT_MOST);

            await().atMost(AT_MOST).until(() -> first.get() + second.get() == 20);
            assertEquals(10, first.get());
            assertEquals(10, second.get());
            assertTrue(outcome.reason().endsWith("; the traffic was synthetic: health-monitor sent 20 requests (GET /)"),
                    outcome.reason());
        } finally {
            a.stop(0);
            b.stop(0);
        }
    }

    private static Uni<Outcome> window(AnalysisRequest request, Duration interval, MetricProvider provider) {
        return new AnalysisWindow(request, interval, provider, synthetic, vertx).run();
    }

    private static AnalysisRequest request(long windowMs, int syntheticRequests) {
        return new AnalysisRequest("d-1", 3, "svc", "prod", "canary", List.of(new Target("i-1", "127.0.0.1:1")),
                List.of(), windowMs, SPEC, syntheticRequests);
    }

    private static PoolStats stats(long requests, long errors) {
        return new PoolStats(1, requests, errors, 5, List.of());
    }

    private static HttpServer countingServer(AtomicInteger count) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            count.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static Target target(String id, HttpServer server) {
        return new Target(id, "127.0.0.1:" + server.getAddress().getPort());
    }

    /** Answers each look (1, 2, ...) as the script says, counting begins and looks. */
    private static final class ScriptedProvider implements MetricProvider {
        final AtomicInteger begun = new AtomicInteger();
        final AtomicInteger looks = new AtomicInteger();
        private final IntFunction<PoolStats> script;

        ScriptedProvider(IntFunction<PoolStats> script) {
            this.script = script;
        }

        @Override
        public Uni<PoolWatch> begin(List<Target> pool) {
            begun.incrementAndGet();
            PoolWatch watch = () -> Uni.createFrom().item(() -> script.apply(looks.incrementAndGet()));
            return Uni.createFrom().item(watch);
        }
    }
}
