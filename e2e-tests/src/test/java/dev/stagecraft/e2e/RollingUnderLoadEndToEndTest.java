package dev.stagecraft.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;


import dev.stagecraft.devinfra.LoadLoop;
import io.restassured.path.json.JsonPath;

/**
 * A rolling update as the fleet's users see it: through its routerUrl. While 1.0.0 rolls to 1.1.0 over 4
 * instances, a bounded load loop sends {@code GET /} through the router; not one request may fail, since
 * each instance is drained from the router before its process stops and is given traffic again only once
 * verified. Starts its own platform, in its own work directory.
 */
@ExtendWith(SharedPlatform.class)
class RollingUnderLoadEndToEndTest {
    /** Between one load thread's requests: the platform shares the two cores with the load. */
    private static final Duration PAUSE = Duration.ofMillis(20);
    private static final String SERVICE = "checkout";
    private static final String ENV = "staging";
    private static final int REPLICAS = 4;

    static Platform platform;
    static PlatformApi api;

    @BeforeAll
    static void startPlatform(Platform shared) throws Exception {
        platform = shared;
        api = new PlatformApi(platform);
    }


    @Test
    void aRollingUpdateThroughTheRouterFailsNoRequest() {
        String routerUrl = api.fleet(SERVICE, ENV, REPLICAS);
        // in inventory-service on 127.0.0.1, or, under host agents, a router process on one host's address
        assertTrue(routerUrl.matches(SharedPlatform.HOSTS > 0 ? "http://127\\.0\\.0\\.([2-9]|\\d\\d+):\\d+"
                : "http://127\\.0\\.0\\.1:\\d+"), routerUrl);
        createRelease("1.0.0");
        createRelease("1.1.0");
        JsonPath first = deployAndWait("1.0.0");
        assertEquals("SUCCEEDED", first.getString("status"), first.prettify());
        LoadLoop.Result before = LoadLoop.start(routerUrl, 2, 200, Duration.ofSeconds(20), PAUSE).awaitEnd();
        assertEquals(0, before.failed(), before.failures().toString());
        assertEquals(Set.of("1.0.0"), before.versions().keySet());
        assertEquals(REPLICAS, before.instances().size(), "every instance takes a share: " + before.instances());

        LoadLoop.Result during;
        long t0 = System.nanoTime();
        // bounded, and long enough to outlast a rolling update on a busy 2-core machine (it stops when the update ends)
        try (LoadLoop load = LoadLoop.start(routerUrl, 4, 40_000, Duration.ofSeconds(90), PAUSE)) {
            JsonPath done = deployAndWait("1.1.0");
            assertEquals("SUCCEEDED", done.getString("status"), done.prettify());
            assertFalse(load.exhausted(), "the load ended before the rolling update did; too short to judge");
            during = load.stop();
        }
        System.out.printf("rolling update under load: %d requests, %d failed (%.1f s, versions %s)%n",
                during.requests(), during.failed(), (System.nanoTime() - t0) / 1e9, during.versions());
        assertEquals(0, during.failed(), during.failures().toString());
        assertTrue(during.requests() > 100, "too few requests to judge: " + during.requests());
        assertTrue(during.versions().containsKey("1.1.0"), during.versions().toString());

        LoadLoop.Result after = LoadLoop.start(routerUrl, 2, 200, Duration.ofSeconds(20), PAUSE).awaitEnd();
        assertEquals(0, after.failed(), after.failures().toString());
        assertEquals(Map.of("1.1.0", 200), after.versions(), "every answer after the update is 1.1.0");
        assertEquals(REPLICAS, after.instances().size(), "every instance takes a share: " + after.instances());
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static void createRelease(String version) {
        api.release(SERVICE, version, Map.of());
    }

    private static JsonPath deployAndWait(String version) {
        return api.awaitEnd(api.deploy(SERVICE, version, ENV, "{\"type\":\"rolling\",\"maxUnavailable\":1}"));
    }
}
