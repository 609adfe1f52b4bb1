package dev.stagecraft.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.stagecraft.devinfra.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The REST calls an end-to-end test makes of a running platform, as an admin. */
final class PlatformApi {
    static final List<String> ENDED = List.of("SUCCEEDED", "ROLLED_BACK", "FAILED", "ABORTED", "REJECTED");

    private final Platform platform;
    private final String artifactUri;
    private final String artifactSha;

    PlatformApi(Platform platform) throws Exception {
        this.platform = platform;
        Path jar = platform.sampleApp();
        this.artifactUri = jar.toUri().toString();
        this.artifactSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(jar)));
    }

    /** Defines the fleet; answers its routerUrl. */
    String fleet(String service, String environment, int replicas) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body("{\"replicas\":" + replicas + "}").put(inventory("/api/v1/fleets/" + service + "/" + environment))
                .then().statusCode(200).extract().path("routerUrl");
    }

    /** The fleet's routerUrl as GET /api/v1/fleets shows it. */
    String routerUrl(String service, String environment) {
        return given().auth().oauth2(TestTokens.admin()).get(inventory("/api/v1/fleets/" + service + "/" + environment))
                .then().statusCode(200).extract().path("routerUrl");
    }

    /**
     * A fleet of {@code replicas} running 1.0.0, deployed with {@code strategyJson} onto the empty fleet; answers
     * the fleet's routerUrl.
     */
    String fleetRunning100(String service, String environment, int replicas, String strategyJson) {
        String routerUrl = fleet(service, environment, replicas);
        release(service, "1.0.0", Map.of());
        JsonPath first = awaitEnd(deploy(service, "1.0.0", environment, strategyJson));
        assertEquals("SUCCEEDED", first.getString("status"), first.prettify());
        return routerUrl;
    }

    void release(String service, String version, Map<String, String> config) {
        String configJson = config.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"%s","version":"%s","artifact":{"uri":"%s","sha256":"%s"},"config":%s}
                """.formatted(service, version, artifactUri, artifactSha, configJson))
                .post(release("/api/v1/releases")).then().statusCode(201);
    }

    /** Requests a deployment with the strategy given as JSON; answers its id. */
    String deploy(String service, String version, String environment, String strategyJson) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"%s","version":"%s","environment":"%s","strategy":%s}
                """.formatted(service, version, environment, strategyJson)).post(release("/api/v1/deployments"))
                .then().statusCode(202).extract().path("id");
    }

    JsonPath deployment(String id) {
        return given().auth().oauth2(TestTokens.admin()).get(release("/api/v1/deployments/" + id)).then()
                .statusCode(200).extract().jsonPath();
    }

    /** Polls the deployment until {@code until} holds; fails after {@code timeout}. */
    JsonPath await(String id, Predicate<JsonPath> until, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = deployment(id);
            if (until.test(last)) {
                return last;
            }
            sleep(200);
        }
        throw new AssertionError("deployment " + id + " never " + what + " within " + timeout + "; last seen: "
                + (last == null ? "nothing" : last.prettify()));
    }

    JsonPath awaitEnd(String id) {
        return await(id, d -> ENDED.contains(d.getString("status")), Duration.ofMinutes(3), "ended");
    }

    JsonPath awaitStatus(String id, String status) {
        return await(id, d -> status.equals(d.getString("status")) || ENDED.contains(d.getString("status")),
                Duration.ofMinutes(2), "reached " + status);
    }

    /** POSTs pause, resume, promote, rollback or abort; answers the HTTP status. */
    int steer(String id, String action, String body) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body)
                .post(release("/api/v1/deployments/" + id + "/" + action)).then().extract().statusCode();
    }

    JsonPath verdicts(String deploymentId) {
        return given().auth().oauth2(TestTokens.admin()).queryParam("deployment", deploymentId)
                .get(platform.url("health-monitor") + "/api/v1/verdicts").then().statusCode(200).extract().jsonPath();
    }

    JsonPath instances(String service, String environment) {
        return given().auth().oauth2(TestTokens.admin()).queryParam("service", service)
                .queryParam("environment", environment).get(inventory("/api/v1/instances")).then().statusCode(200)
                .extract().jsonPath();
    }

    /**
     * Waits (60 s at most) until the processes the hosts run for {@code service} are exactly its fleet's rows, one
     * process each: no orphan left by a step cut short, none doubled. Answers how long it took, in seconds; fails with
     * both sides if they never matched. A platform without host agents has nothing to count.
     */
    double awaitProcessesMatchRows(String service, String environment) {
        if (!platform.hasAgents()) {
            return 0;
        }
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(60).toNanos();
        while (true) {
            Set<String> rows = Set.copyOf(instances(service, environment).getList("id", String.class));
            Map<String, List<Long>> running = platform.runningInstanceProcesses(service);
            if (running.keySet().equals(rows) && running.values().stream().allMatch(pids -> pids.size() == 1)) {
                return (System.nanoTime() - started) / 1e9;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the processes the hosts run for " + service + " " + running
                        + " are not its rows " + rows + " after 60 s: orphaned or doubled");
            }
            sleep(500);
        }
    }

    /** The messages of the deployment's timeline, oldest first. */
    static List<String> timeline(JsonPath deployment) {
        return deployment.getList("timeline.message", String.class);
    }

    String release(String path) {
        return platform.url("release-service") + path;
    }

    String inventory(String path) {
        return platform.url("inventory-service") + path;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
