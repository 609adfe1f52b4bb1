package dev.stagecraft.health.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.stagecraft.contracts.AnalysisRequest.Target;
import dev.stagecraft.devinfra.LoadLoop;
import dev.stagecraft.health.provider.MetricProvider.PoolWatch;
import dev.stagecraft.health.testing.PrometheusServer;
import dev.stagecraft.health.testing.SampleApp;
import dev.stagecraft.health.testing.TestAnalysisConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prometheus provider with its default queries against a real Prometheus (Debian's 2.42) that scrapes
 * two real sample-app processes every second, one of them answering half its requests with 500.
 */
class PrometheusMetricProviderTest {
    private static final int REQUESTS = 150;
    private static final Duration AT_MOST = Duration.ofSeconds(15);

    private static SampleApp good;
    private static SampleApp bad;
    private static PrometheusServer prometheus;
    private static String closedAddress;

    @BeforeAll
    static void start() {
        good = SampleApp.start("prom-good", Map.of());
        bad = SampleApp.start("prom-bad", Map.of("SAMPLE_ERROR_RATE", "0.5"));
        closedAddress = "127.0.0.1:" + SampleApp.freePort();
        prometheus = PrometheusServer.start(List.of(good.address(), bad.address(), closedAddress));
        // Until Prometheus has scraped every target once, a window's range would start without a sample.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> prometheus.query("up").size() == 3);
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (good != null) {
            good.close();
        }
        if (bad != null) {
            bad.close();
        }
    }

    @Test
    void measuresRequestsErrorsAndLatencyOfEachPool() throws Exception {
        PrometheusMetricProvider provider = new PrometheusMetricProvider(TestAnalysisConfig
                .with(Map.of("stagecraft.analysis.prometheus.url", prometheus.url())).prometheus());
        Target goodTarget = new Target("i-good", good.address());
        Target badTarget = new Target("i-bad", bad.address());
        PoolWatch goodPool = provider.begin(List.of(goodTarget)).await().atMost(AT_MOST);
        PoolWatch badPool = provider.begin(List.of(badTarget)).await().atMost(AT_MOST);
        PoolWatch both = provider.begin(List.of(goodTarget, badTarget)).await().atMost(AT_MOST);
        Thread.sleep(1_200); // a scrape inside the window before the load: its range starts at the old counts

        LoadLoop.Result toGood = LoadLoop.run(good.url(), 2, REQUESTS, Duration.ofSeconds(20));
        LoadLoop.Result toBad = LoadLoop.run(bad.url(), 2, REQUESTS, Duration.ofSeconds(20));
        assertEquals(REQUESTS, toGood.requests());
        assertEquals(REQUESTS, toBad.requests());
        Thread.sleep(2_500); // two more scrapes, so that the last requests are in Prometheus

        PoolStats goodStats = goodPool.sinceBegin().await().atMost(AT_MOST);
        PoolStats badStats = badPool.sinceBegin().await().atMost(AT_MOST);
        PoolStats bothStats = both.sinceBegin().await().atMost(AT_MOST);

        // increase() extrapolates to the range's ends, so counts come out somewhat above what was sent.
        assertWithin(REQUESTS, goodStats.requests(), "requests to the good instance");
        assertEquals(0, goodStats.errors());
        assertWithin(REQUESTS, badStats.requests(), "requests to the bad instance");
        assertEquals(0.5, badStats.errorRate(), 0.15, "error rate of the bad instance: " + badStats);
        assertWithin(2 * REQUESTS, bothStats.requests(), "requests to both");
        assertTrue(goodStats.p99Ms() > 0 && goodStats.p99Ms() <= 5_000, "p99: " + goodStats.p99Ms());
        assertEquals(List.of(), bothStats.unreachable());
    }

    @Test
    void anInstancePrometheusCannotScrapeIsUnreachable() {
        PrometheusMetricProvider provider = new PrometheusMetricProvider(TestAnalysisConfig
                .with(Map.of("stagecraft.analysis.prometheus.url", prometheus.url())).prometheus());

        PoolStats stats = provider.begin(List.of(new Target("i-gone", closedAddress), new Target("i-good", good.address())))
                .await().atMost(AT_MOST).sinceBegin().await().atMost(AT_MOST);

        assertEquals(1, stats.unreachable().size(), stats.toString());
        assertEquals("i-gone", stats.unreachable().get(0).instanceId());
    }

    @Test
    void aPrometheusThatDoesNotAnswerFailsTheLook() {
        PrometheusMetricProvider provider = new PrometheusMetricProvider(TestAnalysisConfig
                .with(Map.of("stagecraft.analysis.prometheus.url", "http://" + closedAddress)).prometheus());

        PoolWatch watch = provider.begin(List.of(new Target("i-good", good.address()))).await().atMost(AT_MOST);

        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> watch.sinceBegin().await().atMost(AT_MOST));
        assertTrue(failure.getMessage().startsWith("Prometheus at http://" + closedAddress + " did not answer:"),
                failure.getMessage());
    }

    private static void assertWithin(long sent, long measured, String what) {
        assertTrue(measured >= sent * 0.9 && measured <= sent * 1.35, what + ": sent " + sent + ", measured " + measured);
    }
}
