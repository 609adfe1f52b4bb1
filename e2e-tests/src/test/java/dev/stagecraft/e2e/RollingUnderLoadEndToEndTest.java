package dev.stagecraft.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import dev.stagecraft.devinfra.LoadLoop;
import dev.stagecraft.devinfra.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A rolling update as the fleet's users see it: through its routerUrl. While 1.0.0 rolls to 1.1.0 over 4
 * instances, a bounded load loop sends {@code GET /} through the router; not one request may fail, since
 * each instance is drained from the router before its process stops and is given traffic again only once
 * verified. Starts its own platform, in its own work directory.
 */
class RollingUnderLoadEndToEndTest {
    /** Between one load thread's requests: the platform shares the two cores with the load. */
    private static final Duration PAUSE = Duration.ofMillis(20);
    private static final String SERVICE = "checkout";
    private static final String ENV = "staging";
    private static final int REPLICAS = 4;

    static Platform platform;
    static String artifactUri;
    static String artifactSha;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = Platform.start(Map.of("STAGECRAFT_PROBES_DEADLINE", "8s"), "e2e-work-router");
        Path jar = platform.sampleApp();
        artifactUri = jar.toUri().toString();
        artifactSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
    }

    @AfterAll
    static void stopPlatform() {
        if (platform == null) {
            return;
        }
        platform.close();
        List<String> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("sample-app.jar"))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
        assertTrue(leftovers.isEmpty(), "instances left running after inventory-service stopped: " + leftovers);
    }

    @Test
    void aRollingUpdateThroughTheRouterFailsNoRequest() {
        String routerUrl = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body("{\"replicas\":" + REPLICAS + "}").put(inventory("/api/v1/fleets/" + SERVICE + "/" + ENV))
                .then().statusCode(200).extract().path("routerUrl");
        assertTrue(routerUrl.matches("http://127\\.0\\.0\\.1:\\d+"), routerUrl);
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
        try (LoadLoop load = LoadLoop.start(routerUrl, 4, 20_000, Duration.ofSeconds(30), PAUSE)) {
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
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"%s","version":"%s","artifact":{"uri":"%s","sha256":"%s"}}
                """.formatted(SERVICE, version, artifactUri, artifactSha)).post(release("/api/v1/releases"))
                .then().statusCode(201);
    }

    private static JsonPath deployAndWait(String version) {
        String id = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"%s","version":"%s","environment":"%s","strategy":{"type":"rolling","maxUnavailable":1}}
                """.formatted(SERVICE, version, ENV)).post(release("/api/v1/deployments"))
                .then().statusCode(202).extract().path("id");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath d = given().auth().oauth2(TestTokens.admin()).get(release("/api/v1/deployments/" + id)).then()
                    .statusCode(200).extract().jsonPath();
            if (List.of("SUCCEEDED", "ROLLED_BACK", "FAILED", "ABORTED", "REJECTED").contains(d.getString("status"))) {
                return d;
            }
            sleep(200);
        }
        throw new AssertionError("deployment " + id + " did not end");
    }

    private static String release(String path) {
        return platform.url("release-service") + path;
    }

    private static String inventory(String path) {
        return platform.url("inventory-service") + path;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
