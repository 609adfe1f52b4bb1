package dev.stagecraft.e2e;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.LoadLoop;
import io.restassured.path.json.JsonPath;

/**
 * Canary deployments as their users see them: real sample-app instances behind the fleet's router, real
 * traffic from bounded load loops to 127.0.0.1, and health-monitor's analysis reading the instances' own
 * metrics. Each test uses its own service, so one platform serves them all.
 */
@ExtendWith(SharedPlatform.class)
class CanaryEndToEndTest {
    private static final String ENV = "staging";
    private static final int STABLE = 4;
    /**
     * Enough to judge a short window at a 5% weight under the modest load these tests send (the good canary
     * asks for 10: on a busy machine 20 requests at 5% in 6 s is not certain, and INCONCLUSIVE would hold it).
     */
    private static final String THRESHOLDS = "{\"minRequests\":20,\"interval\":\"1s\"}";
    private static final Duration PAUSE = Duration.ofMillis(10);

    static Platform platform;
    static PlatformApi api;

    @BeforeAll
    static void startPlatform(Platform shared) throws Exception {
        platform = shared;
        api = new PlatformApi(platform);
    }


    /**
     * How far a measured share may stray from the weight, in percentage points: the router picks at random, so
     * the share of n requests is binomial. Five standard deviations (about 5.6 points at 50% of 2,000) is a miss
     * once in millions of runs, yet still tells 50% from 25%; never tighter than 4 points.
     */
    static double tolerance(int weightPercent, int requests) {
        double p = weightPercent / 100.0;
        return Math.max(4.0, 5 * 100 * Math.sqrt(p * (1 - p) / requests));
    }

    /** A stable fleet of 1.0.0 behind its router; answers the routerUrl. */
    static String stableFleet(String service) {
        return api.fleetRunning100(service, ENV, STABLE, "{\"type\":\"rolling\",\"maxUnavailable\":\"100%\"}");
    }

    @Test
    void aGoodCanaryHoldsEachWeightAndIsPromoted() {
        String service = "canary-good";
        String routerUrl = stableFleet(service);
        api.release(service, "2.0.0", Map.of());
        String id;
        try (LoadLoop background = LoadLoop.start(routerUrl, 4, 60_000, Duration.ofSeconds(150), PAUSE)) {
            id = api.deploy(service, "2.0.0", ENV, """
                    {"type":"canary","steps":[{"weight":5,"analysis":"6s","pause":true},
                      {"weight":25,"analysis":"6s","pause":true},{"weight":50,"analysis":"6s","pause":true}],
                     "analysis":{"minRequests":10,"interval":"1s"}}""");
            // at each hold, one of the ways on: resume, promote to the next step, promote all the way
            String[][] onwards = { { "resume", "{}" }, { "promote", "{}" }, { "promote", "{\"full\":true}" } };
            int[] weights = { 5, 25, 50 };
            for (int i = 0; i < weights.length; i++) {
                int weight = weights[i];
                JsonPath held = api.awaitStatus(id, "PAUSED");
                assertEquals("PAUSED", held.getString("status"), held.prettify());
                List<String> timeline = PlatformApi.timeline(held);
                assertThat("held by the step, after a passing analysis (not an inconclusive one)",
                        timeline.get(timeline.size() - 1), containsString("holding at step " + (i + 1) + "/3"));
                String canary = onlyCanary(service);
                LoadLoop.Result measured = LoadLoop.start(routerUrl, 4, 2_000, Duration.ofSeconds(60)).awaitEnd();
                double share = measured.percent(canary);
                System.out.printf("canary weight %d%%: %d requests through the router, %.1f%% to the canary %s%n",
                        weight, measured.requests(), share, canary);
                assertEquals(2_000, measured.requests());
                assertEquals(0, measured.failed(), measured.failures().toString());
                assertEquals(weight, share, tolerance(weight, measured.requests()),
                        "canary share at weight " + weight + ": " + measured.instances());
                assertEquals(202, api.steer(id, onwards[i][0], onwards[i][1]));
                awaitNotPaused(id);
            }
            JsonPath done = api.awaitEnd(id);
            assertEquals("SUCCEEDED", done.getString("status"), done.prettify());
            LoadLoop.Result all = background.stop();
            assertEquals(0, all.failed(), "a good canary fails no request: " + all.failures());
        }
        JsonPath verdicts = api.verdicts(id);
        List<String> analysed = verdicts.getList("findAll { it.analysis.size() > 0 }.result", String.class);
        assertEquals(List.of("PASS", "PASS", "PASS"), analysed, verdicts.prettify());
        LoadLoop.Result after = LoadLoop.start(routerUrl, 2, 400, Duration.ofSeconds(30)).awaitEnd();
        assertEquals(Map.of("2.0.0", 400), after.versions(), "every answer after the promotion is 2.0.0");
        JsonPath fleet = api.instances(service, ENV);
        assertEquals(STABLE, fleet.getList("id").size(), fleet.prettify());
        assertEquals(Set.of("2.0.0"), new TreeSet<>(fleet.getList("version", String.class)));
        assertEquals(Set.of("stable"), new TreeSet<>(fleet.getList("pool", String.class)));
    }

    @Test
    void aCanaryThatFailsRequestsIsRolledBackAtItsFirstStepAndThenGetsNothing() {
        String service = "canary-errors";
        String routerUrl = stableFleet(service);
        api.release(service, "2.0.0", Map.of("SAMPLE_ERROR_RATE", "0.3"));
        JsonPath done;
        long started = System.nanoTime();
        try (LoadLoop load = LoadLoop.start(routerUrl, 3, 40_000, Duration.ofSeconds(120), PAUSE)) {
            String id = api.deploy(service, "2.0.0", ENV, """
                    {"type":"canary","steps":[{"weight":5,"analysis":"30s"},{"weight":25,"analysis":"30s"},
                      {"weight":50,"analysis":"30s"}],"analysis":%s}""".formatted(THRESHOLDS));
            done = api.awaitEnd(id);
            load.stop();
        }
        System.out.printf("bad canary (30%% errors) rolled back in %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertEquals("ROLLED_BACK", done.getString("status"), done.prettify());
        String timeline = String.join("\n", PlatformApi.timeline(done));
        assertThat(timeline, containsString("analysis of step 1/3"));
        // the plan names every step up front; a step that ran has its own timeline entry
        assertFalse(PlatformApi.timeline(done).contains("step 2/3: canary at 25%"),
                "never went past its first step:\n" + timeline);
        JsonPath verdicts = api.verdicts(done.getString("id"));
        Map<String, Object> failed = verdicts.getMap("find { it.result == 'FAIL' && it.analysis.size() > 0 }");
        String reason = String.valueOf(failed.get("reason"));
        System.out.println("bad canary verdict: " + reason);
        assertThat(reason, containsString("error rate"));
        assertThat(reason, containsString("maxErrorRate"));
        List<String> canaries = canaryIds(done);
        LoadLoop.Result after = LoadLoop.start(routerUrl, 3, 1_000, Duration.ofSeconds(30)).awaitEnd();
        for (String canary : canaries) {
            assertEquals(0, after.instances().getOrDefault(canary, 0), "requests to the canary after the rollback");
        }
        assertEquals(0, after.failed(), after.failures().toString());
        assertEquals(Map.of("1.0.0", 1_000), after.versions());
    }

    @Test
    void aSlowCanaryIsRolledBackOnLatency() {
        String service = "canary-slow";
        String routerUrl = stableFleet(service);
        api.release(service, "2.0.0", Map.of("SAMPLE_LATENCY_MS", "800"));
        JsonPath done;
        try (LoadLoop load = LoadLoop.start(routerUrl, 4, 40_000, Duration.ofSeconds(120), PAUSE)) {
            done = api.awaitEnd(api.deploy(service, "2.0.0", ENV, """
                    {"type":"canary","steps":[{"weight":25,"analysis":"30s"},{"weight":50,"analysis":"30s"}],
                     "analysis":%s}""".formatted(THRESHOLDS)));
            LoadLoop.Result during = load.stop();
            assertEquals(0, during.failed(), "slow is not failed: " + during.failures());
        }
        assertEquals("ROLLED_BACK", done.getString("status"), done.prettify());
        JsonPath verdicts = api.verdicts(done.getString("id"));
        String reason = verdicts.getString("find { it.result == 'FAIL' && it.analysis.size() > 0 }.reason");
        System.out.println("slow canary verdict: " + reason);
        assertThat(reason, containsString("p99"));
        assertThat(reason, containsString("maxP99Ms"));
    }

    @Test
    void anIdleCanaryIsNeverPromoted() {
        String service = "canary-idle";
        stableFleet(service);
        api.release(service, "2.0.0", Map.of());
        String id = api.deploy(service, "2.0.0", ENV, """
                {"type":"canary","steps":[{"weight":10,"analysis":"3s"},{"weight":100,"analysis":"3s"}],
                 "analysis":%s}""".formatted(THRESHOLDS));
        JsonPath paused = api.awaitStatus(id, "PAUSED");
        assertEquals("PAUSED", paused.getString("status"), paused.prettify());
        JsonPath verdicts = api.verdicts(id);
        Map<String, Object> inconclusive = verdicts.getMap("find { it.analysis.size() > 0 }");
        assertEquals("INCONCLUSIVE", inconclusive.get("result"), verdicts.prettify());
        System.out.println("idle canary verdict: " + inconclusive.get("reason"));
        PlatformApi.sleep(2_000);
        JsonPath still = api.deployment(id);
        assertEquals("PAUSED", still.getString("status"), "an inconclusive analysis waits for a person");
        assertFalse(PlatformApi.timeline(still).contains("step 2/2: canary at 100%"), "never went on");

        assertEquals(202, api.steer(id, "rollback", "{\"reason\":\"no traffic to judge\"}"));
        JsonPath done = api.awaitEnd(id);
        assertEquals("ROLLED_BACK", done.getString("status"), done.prettify());
        JsonPath fleet = api.instances(service, ENV);
        assertEquals(Set.of("1.0.0"), new TreeSet<>(fleet.getList("version", String.class)), fleet.prettify());
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static String onlyCanary(String service) {
        List<String> canaries = api.instances(service, ENV).getList("findAll { it.pool == 'canary' }.id", String.class);
        assertEquals(1, canaries.size(), "one canary instance: " + canaries);
        return canaries.get(0);
    }

    /** The canary instances the deployment started, from its timeline ("started [i-…] in the canary pool"). */
    private static List<String> canaryIds(JsonPath deployment) {
        List<String> ids = new ArrayList<>();
        for (String message : PlatformApi.timeline(deployment)) {
            if (message.startsWith("started [") && message.contains("in the canary pool")) {
                for (String id : message.substring("started [".length(), message.indexOf(']')).split(",\\s*")) {
                    ids.add(id.trim());
                }
            }
        }
        assertFalse(ids.isEmpty(), "no canary named in the timeline: " + PlatformApi.timeline(deployment));
        return ids;
    }

    private static void awaitNotPaused(String id) {
        api.await(id, d -> !"PAUSED".equals(d.getString("status")), Duration.ofSeconds(30), "resumed");
    }
}
