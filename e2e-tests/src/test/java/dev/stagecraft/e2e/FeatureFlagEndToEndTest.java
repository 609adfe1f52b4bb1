package dev.stagecraft.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A flag change reaches a running instance: the sample app, deployed by the real platform, gets OFREP_ENDPOINT and
 * its sealed OFREP token from release-service, polls the bulk endpoint, and its GET / greets while flag
 * {@code new-greeting} is on. Measures the time from the PUT that flips the flag to the first GET / that shows it.
 * Then a canary carrying the flag override {@code new-greeting: on}: its instance greets while the stable one does not,
 * until the canary is rolled back.
 */
@ExtendWith(SharedPlatform.class)
class FeatureFlagEndToEndTest {
    private static final String SERVICE = "flagged";
    private static final String ENV = "staging";
    static Platform platform;
    static PlatformApi api;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(Platform shared) throws Exception {
        platform = shared;
        api = new PlatformApi(platform);
    }


    @Test
    void flippingAFlagChangesWhatARunningInstanceAnswers() throws Exception {
        putFlag("off");
        api.fleet(SERVICE, ENV, 1);
        api.release(SERVICE, "1.0.0", Map.of());
        String id = api.deploy(SERVICE, "1.0.0", ENV, "{\"type\":\"rolling\"}");
        JsonPath done = api.awaitEnd(id);
        assertEquals("SUCCEEDED", done.getString("status"), done.prettify());
        assertFalse(done.prettify().contains("ofrep_"), "the instance's OFREP token shows in the deployment view");
        String sagaView = given().auth().oauth2(TestTokens.admin()).get(platform.url("rollout-service")
                + "/api/v1/sagas/" + id).asString();
        assertFalse(sagaView.contains("ofrep_"), "the instance's OFREP token shows in the saga view");

        String address = api.instances(SERVICE, ENV).getString("find { it.state == 'IN_SERVICE' }.address");
        URI root = URI.create("http://" + address + "/");
        assertFalse(get(root).contains("greeting"), get(root));

        long[] on = new long[3];
        long[] off = new long[3];
        for (int round = 0; round < 3; round++) {
            on[round] = flipAndMeasure(root, "on", true);
            off[round] = flipAndMeasure(root, "off", false);
        }
        String figure = String.format("flag change → GET / of a running sample-app (poll 1 s): on %s ms, off %s ms",
                java.util.Arrays.toString(on), java.util.Arrays.toString(off));
        System.out.println(figure);
        java.nio.file.Files.writeString(platform.workDir.resolve("flag-figures.txt"), figure + "\n");
        for (long ms : on) {
            assertTrue(ms < 5_000, figure);
        }

        aCanarysFlagOverrideReachesOnlyTheCanaryPoolUntilItIsRolledBack(root);
    }

    /**
     * The flag is off now. A canary of 1.1.0 carries {@code new-greeting: on}: its instance greets, the stable one does
     * not, and a rollback takes the canary (and with it the override) away.
     */
    private static void aCanarysFlagOverrideReachesOnlyTheCanaryPoolUntilItIsRolledBack(URI stableRoot)
            throws Exception {
        api.release(SERVICE, "1.1.0", Map.of());
        String id = api.deploy(SERVICE, "1.1.0", ENV, """
                {"type":"canary","steps":[{"weight":50,"analysis":"60s"}],"flagOverrides":{"new-greeting":"on"}}""");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String canary = null;
        while (canary == null && System.nanoTime() < deadline) {
            canary = api.instances(SERVICE, ENV).getString("find { it.pool == 'canary' && it.address != null }.address");
            Thread.sleep(200);
        }
        assertTrue(canary != null, "no canary instance: " + api.deployment(id).prettify());
        URI canaryRoot = URI.create("http://" + canary + "/");
        while (System.nanoTime() < deadline && !answer(canaryRoot).contains("\"greeting\"")) {
            Thread.sleep(100);
        }
        String canarySays = answer(canaryRoot);
        assertTrue(canarySays.contains("\"greeting\"") && canarySays.contains("1.1.0"), canarySays);
        assertFalse(get(stableRoot).contains("\"greeting\""), "the stable pool does not get the canary's override: "
                + get(stableRoot));

        assertEquals(202, api.steer(id, "rollback", "{\"reason\":\"the override was only a try\"}"));
        JsonPath done = api.awaitEnd(id);
        assertEquals("ROLLED_BACK", done.getString("status"), done.prettify());
        assertFalse(get(stableRoot).contains("\"greeting\""), get(stableRoot));
    }

    /** GET / of an instance that may not listen yet: empty until it does. */
    private static String answer(URI uri) {
        try {
            return get(uri);
        } catch (Exception e) {
            return "";
        }
    }

    private static long flipAndMeasure(URI root, String variant, boolean expectGreeting) throws Exception {
        long t0 = System.nanoTime();
        putFlag(variant);
        long deadline = t0 + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (get(root).contains("\"greeting\"") == expectGreeting) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("GET / never " + (expectGreeting ? "greeted" : "stopped greeting") + ": " + get(root));
    }

    private static void putFlag(String defaultVariant) {
        given().auth().oauth2(TestTokens.token("flipper", "deployer:" + ENV)).contentType(ContentType.JSON)
                .body("{\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"" + defaultVariant + "\"}")
                .put(api.release("/api/v1/flags/" + SERVICE + "/" + ENV + "/new-greeting")).then().statusCode(200);
    }

    private static String get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

}
