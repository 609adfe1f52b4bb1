package dev.stagecraft.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.stagecraft.devinfra.TestTokens;
import io.restassured.path.json.JsonPath;

/**
 * Self-healing under host agents, on the shared platform: kill -9 of one instance's process while its fleet is in
 * service. Its host's agent starts it again on the same address (after the CrashLoopBackOff's first delay, 10 s by
 * default), and the user sees it in the public API: {@code GET /api/v1/instances} (same state IN_SERVICE, a new pid,
 * {@code restarts} 1, observed RUNNING), the instance's history ({@code GET /api/v1/instances/{id}/history}: the
 * CRASH_LOOP_BACKOFF with the signal that ended it, then RUNNING as the new pid) and
 * {@code stagecraft_instance_restarts_total} of its fleet. Prints the time until it serves again. (A release that
 * crashes at start is rolled back by itself: RollingDeploymentEndToEndTest, on this same platform.)
 */
@ExtendWith(SharedPlatform.class)
class InstanceRestartEndToEndTest {
    private static final String SERVICE = "mender";
    private static final String ENV = "staging";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    static Platform platform;
    static PlatformApi api;

    @BeforeAll
    static void start(Platform shared) throws Exception {
        Assumptions.assumeTrue(SharedPlatform.HOSTS > 0, "instances restart by themselves under host agents only");
        platform = shared;
        api = new PlatformApi(platform);
    }

    @Test
    void aKilledInstanceIsRestartedByItsAgentAndTheUserSeesIt() throws Exception {
        String routerUrl = api.fleetRunning100(SERVICE, ENV, 2, "{\"type\":\"rolling\",\"maxUnavailable\":1}");
        JsonPath instances = api.instances(SERVICE, ENV);
        String id = instances.getString("[0].id");
        long pid = instances.getLong("[0].pid");
        String address = instances.getString("[0].address");
        assertEquals(0.0, restartsCounted(), "no restart counted before the kill");
        assertTrue(Files.readString(Path.of("/proc", Long.toString(pid), "environ")).contains("\0INSTANCE_ID=" + id + "\0"),
                "pid " + pid + " is instance " + id);

        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long killed = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> ok("http://" + address + "/") && pid != instance(id).getLong("pid"));
        double serving = (System.nanoTime() - killed) / 1e9;
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> instance(id).getInt("restarts") == 1
                && "RUNNING".equals(instance(id).getString("observedState")));
        JsonPath after = instance(id);
        assertEquals("IN_SERVICE", after.getString("state"));
        assertEquals(address, after.getString("address"), "restarted on its address");

        List<Map<String, Object>> history = given().auth().oauth2(TestTokens.admin())
                .get(api.inventory("/api/v1/instances/" + id + "/history")).then().statusCode(200).extract().jsonPath()
                .getList("$");
        int crash = indexOf(history, "CRASH_LOOP_BACKOFF", 0);
        assertTrue(crash >= 0, "the crash is in the history: " + history);
        assertEquals("killed by signal 9", history.get(crash).get("detail"), history.toString());
        int back = indexOf(history, "RUNNING", crash);
        assertTrue(back > crash, "then RUNNING again: " + history);
        assertEquals(1, history.get(back).get("restarts"), history.toString());
        assertEquals(after.getLong("pid"), ((Number) history.get(back).get("pid")).longValue(), history.toString());
        given().auth().oauth2(TestTokens.admin()).get(api.inventory("/api/v1/instances/i-00000000/history")).then()
                .statusCode(404);

        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> restartsCounted() == 1.0);
        int failed = 0;
        for (int i = 0; i < 20; i++) {
            failed += ok(routerUrl + "/") ? 0 : 1;
        }
        String figure = String.format("kill -9 of instance %s (pid %d) under its host agent: serving again at %s"
                + " after %.1f s as pid %d; restarts 1 in GET /api/v1/instances, history %s,"
                + " stagecraft_instance_restarts_total 1; 20 requests through the routerUrl then, %d failed", id, pid,
                address, serving, after.getLong("pid"), history.stream().map(c -> c.get("state") + (c.get("detail") == null
                        ? "" : " (" + c.get("detail") + ")")).toList(), failed);
        System.out.println(figure);
        Files.writeString(platform.workDir.resolve("figures-instance-restart.txt"), figure + "\n");
        assertEquals(0, failed, figure);
    }

    private static int indexOf(List<Map<String, Object>> history, String state, int from) {
        for (int i = from; i < history.size(); i++) {
            if (state.equals(history.get(i).get("state"))) {
                return i;
            }
        }
        return -1;
    }

    private static JsonPath instance(String id) {
        JsonPath all = api.instances(SERVICE, ENV);
        int index = all.getList("id").indexOf(id);
        return new JsonPath(all.prettify()).setRootPath("[" + index + "]");
    }

    /** {@code stagecraft_instance_restarts_total} of this fleet on inventory-service's /q/metrics; 0 if absent. */
    private static double restartsCounted() {
        String metrics = given().get(api.inventory("/q/metrics")).then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^stagecraft_instance_restarts_total\\{[^}]*service=\"" + SERVICE + "\"[^}]*\\} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }

    private static boolean ok(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
