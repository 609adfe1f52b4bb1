package dev.stagecraft.health.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;

import dev.stagecraft.health.provider.InstanceCounters.Traffic;
import dev.stagecraft.health.testing.TestAnalysisConfig;
import org.junit.jupiter.api.Test;

/** Deltas between two scrapes of one instance, in the sample app's own format. */
class InstanceCountersTest {
    private static final MetricNames NAMES = MetricNames.of(TestAnalysisConfig.defaults().metrics());

    @Test
    void subtractsTheStartFromLaterScrapes() {
        Traffic t = scrape(100, 4, 90, 100, 104).since(scrape(40, 1, 30, 40, 41), NAMES);

        assertEquals(63, t.requests());
        assertEquals(3, t.errors());
        assertEquals(new TreeMap<>(Map.of(0.005, 60.0, 0.1, 60.0, Double.POSITIVE_INFINITY, 63.0)), t.buckets());
    }

    @Test
    void aCounterThatWentDownCountsFromZero() {
        // The instance restarted: everything it shows now happened since.
        Traffic t = scrape(10, 2, 8, 10, 12).since(scrape(500, 20, 480, 500, 520), NAMES);

        assertEquals(12, t.requests());
        assertEquals(2, t.errors());
        assertEquals(12.0, t.buckets().get(Double.POSITIVE_INFINITY));
    }

    @Test
    void aSeriesThatAppearedLaterCountsFromZero() {
        InstanceCounters start = InstanceCounters.parse("http_server_requests_total{status=\"200\"} 5\n", NAMES);
        InstanceCounters now = InstanceCounters.parse("""
                http_server_requests_total{status="200"} 9
                http_server_requests_total{status="503"} 2
                """, NAMES);

        Traffic t = now.since(start, NAMES);
        assertEquals(6, t.requests());
        assertEquals(2, t.errors());
    }

    @Test
    void onlyTheConfiguredStatusesAreErrors() {
        InstanceCounters now = InstanceCounters.parse("""
                http_server_requests_total{status="404"} 3
                http_server_requests_total{status="500"} 1
                http_server_requests_total{path="/"} 1
                """, NAMES);

        Traffic t = now.since(InstanceCounters.parse("", NAMES), NAMES);
        assertEquals(5, t.requests());
        assertEquals(1, t.errors());
    }

    @Test
    void trafficOfSeveralInstancesAddsUp() {
        Traffic a = scrape(10, 1, 10, 10, 11).since(InstanceCounters.parse("", NAMES), NAMES);
        Traffic b = scrape(20, 2, 5, 20, 22).since(InstanceCounters.parse("", NAMES), NAMES);

        Traffic sum = a.plus(b);
        assertEquals(33, sum.requests());
        assertEquals(3, sum.errors());
        assertEquals(15.0, sum.buckets().get(0.005));
        assertEquals(33.0, sum.buckets().get(Double.POSITIVE_INFINITY));
    }

    /** A scrape like sample-app's: 2xx and 5xx counters and one histogram per status class. */
    private static InstanceCounters scrape(long ok, long errors, long fast2xx, long all2xx, long all) {
        String text = """
                # TYPE http_server_requests_total counter
                http_server_requests_total{status="200",path="/"} %d
                http_server_requests_total{status="500",path="/"} %d
                # TYPE http_server_request_duration_seconds histogram
                http_server_request_duration_seconds_bucket{status_class="2xx",path="/",le="0.005"} %d
                http_server_request_duration_seconds_bucket{status_class="2xx",path="/",le="0.1"} %d
                http_server_request_duration_seconds_bucket{status_class="2xx",path="/",le="+Inf"} %d
                http_server_request_duration_seconds_bucket{status_class="5xx",path="/",le="0.005"} 0
                http_server_request_duration_seconds_bucket{status_class="5xx",path="/",le="0.1"} 0
                http_server_request_duration_seconds_bucket{status_class="5xx",path="/",le="+Inf"} %d
                http_server_request_duration_seconds_count{status_class="2xx",path="/"} %d
                sample_app_info{version="1.0.0"} 1
                """.formatted(ok, errors, fast2xx, all2xx, all2xx, all - all2xx, all2xx);
        return InstanceCounters.parse(text, NAMES);
    }
}
