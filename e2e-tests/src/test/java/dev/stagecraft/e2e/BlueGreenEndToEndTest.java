package dev.stagecraft.e2e;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.stagecraft.devinfra.LoadLoop;
import io.restassured.path.json.JsonPath;

/**
 * Blue/green deployments under continuous load through the fleet's router, a real HAProxy under a host agent (the
 * shared platform's agents run HAProxy wherever it is installed, and it is): the switch and the switch back must not
 * fail a single request, and blue must be gone (or green, after a rollback) at the end.
 */
@ExtendWith(SharedPlatform.class)
class BlueGreenEndToEndTest {
    private static final String ENV = "staging";
    private static final int REPLICAS = 3;
    private static final Duration PAUSE = Duration.ofMillis(10);

    static Platform platform;
    static PlatformApi api;

    @BeforeAll
    static void startPlatform(Platform shared) throws Exception {
        platform = shared;
        api = new PlatformApi(platform);
    }

    /**
     * Blue: 1.0.0 on the fleet, itself deployed blue/green onto the empty fleet. Answers the routerUrl, after checking
     * that a real HAProxy serves it.
     */
    static String blueFleet(String service) {
        String routerUrl = api.fleetRunning100(service, ENV, REPLICAS, "{\"type\":\"blue-green\"}");
        Long routerPid = platform.agentRouterPids().get(service + "." + ENV);
        assertTrue(routerPid != null, "an agent runs the router of " + service + ": " + platform.agentRouterPids());
        String command = ProcessHandle.of(routerPid).flatMap(p -> p.info().command()).orElse("(gone)");
        assertTrue(command.endsWith("/haproxy"), "the router of " + service + " is HAProxy, not " + command);
        return routerUrl;
    }

    @Test
    void aBlueGreenSwitchUnderLoadFailsNoRequest() {
        String service = "bg-good";
        String routerUrl = blueFleet(service);
        api.release(service, "2.0.0", Map.of());
        LoadLoop.Result during;
        JsonPath done;
        long started = System.nanoTime();
        try (LoadLoop load = LoadLoop.start(routerUrl, 4, 60_000, Duration.ofSeconds(120), PAUSE)) {
            done = api.awaitEnd(api.deploy(service, "2.0.0", ENV, """
                    {"type":"blue-green","prePromotionAnalysis":"3s","syntheticRequests":100,
                     "postPromotionAnalysis":"3s","scaleDownDelay":"2s","analysis":{"minRequests":20}}"""));
            during = load.stop();
        }
        System.out.printf("blue/green switch under load: %d requests, %d failed, %.1f s, versions %s%n",
                during.requests(), during.failed(), (System.nanoTime() - started) / 1e9, during.versions());
        assertEquals("SUCCEEDED", done.getString("status"), done.prettify());
        assertEquals(0, during.failed(), during.failures().toString());
        assertEquals(Set.of("1.0.0", "2.0.0"), during.versions().keySet(), "the switch happened under load");
        JsonPath verdicts = api.verdicts(done.getString("id"));
        assertEquals(List.of("PASS", "PASS"),
                verdicts.getList("findAll { it.analysis.size() > 0 }.result", String.class), verdicts.prettify());
        assertThat(verdicts.getString("find { it.analysis.size() > 0 }.reason"), containsString("synthetic"));
        LoadLoop.Result after = LoadLoop.start(routerUrl, 2, 300, Duration.ofSeconds(30)).awaitEnd();
        assertEquals(Map.of("2.0.0", 300), after.versions());
        JsonPath fleet = api.instances(service, ENV);
        assertEquals(REPLICAS, fleet.getList("id").size(), "blue removed: " + fleet.prettify());
        assertEquals(Set.of("2.0.0"), new TreeSet<>(fleet.getList("version", String.class)));
        assertEquals(Set.of("stable"), new TreeSet<>(fleet.getList("pool", String.class)));
    }

    @Test
    void aBlueGreenRollbackUnderLoadIsAnInstantSwitchBackThatFailsNoRequest() {
        String service = "bg-rollback";
        String routerUrl = blueFleet(service);
        api.release(service, "2.0.0", Map.of());
        LoadLoop.Result during;
        JsonPath done;
        try (LoadLoop load = LoadLoop.start(routerUrl, 4, 60_000, Duration.ofSeconds(120), PAUSE)) {
            String id = api.deploy(service, "2.0.0", ENV, "{\"type\":\"blue-green\",\"scaleDownDelay\":\"5m\"}");
            api.await(id, d -> PlatformApi.timeline(d).stream().anyMatch(m -> m.startsWith("keeping blue")),
                    Duration.ofMinutes(2), "switched and kept blue");
            PlatformApi.sleep(1_000);
            // paused while blue is kept: the wait stops, traffic stays on green, and an undo of the fleet is the
            // rollback of this deployment: one switch back to blue
            assertEquals(202, api.steer(id, "pause", "{\"reason\":\"looking into a report\"}"));
            assertEquals("PAUSED", api.awaitStatus(id, "PAUSED").getString("status"));
            long asked = System.nanoTime();
            JsonPath undo = io.restassured.RestAssured.given().auth().oauth2(dev.stagecraft.devinfra.TestTokens.admin())
                    .contentType(io.restassured.http.ContentType.JSON).body("{\"reason\":\"errors reported by users\"}")
                    .post(api.release("/api/v1/fleets/" + service + "/" + ENV + "/undo")).then().statusCode(202)
                    .extract().jsonPath();
            assertEquals(id, undo.getString("id"), "the undo is this deployment's rollback");
            assertEquals("rollback", undo.getString("undo"));
            JsonPath switched = api.await(id, d -> PlatformApi.timeline(d).stream().anyMatch(m -> m.startsWith(
                    "router confirmed") && m.contains("stable 100")), Duration.ofMinutes(1), "switched back to blue");
            double switchedAfter = (System.nanoTime() - asked) / 1e9;
            done = api.awaitEnd(id);
            System.out.printf("blue/green undo within scaleDownDelay: traffic back on blue %.1f s after the request"
                    + " (timeline seen by polling), green removed and ROLLED_BACK after %.1f s%n", switchedAfter,
                    (System.nanoTime() - asked) / 1e9);
            org.hamcrest.MatcherAssert.assertThat(String.join("\n", PlatformApi.timeline(switched)),
                    org.hamcrest.Matchers.containsString("undo: errors reported by users"));
            during = load.stop();
        }
        System.out.printf("blue/green rollback under load: %d requests, %d failed, versions %s%n", during.requests(),
                during.failed(), during.versions());
        assertEquals("ROLLED_BACK", done.getString("status"), done.prettify());
        assertEquals(0, during.failed(), during.failures().toString());
        assertTrue(during.versions().getOrDefault("2.0.0", 0) > 0, "green took traffic before the rollback");
        LoadLoop.Result after = LoadLoop.start(routerUrl, 2, 300, Duration.ofSeconds(30)).awaitEnd();
        assertEquals(Map.of("1.0.0", 300), after.versions());
        JsonPath fleet = api.instances(service, ENV);
        assertEquals(Set.of("1.0.0"), new TreeSet<>(fleet.getList("version", String.class)), fleet.prettify());
        assertEquals(REPLICAS, fleet.getList("id").size(), "green removed: " + fleet.prettify());
    }
}
