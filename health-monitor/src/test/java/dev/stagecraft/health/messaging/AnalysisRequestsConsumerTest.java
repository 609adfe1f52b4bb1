package dev.stagecraft.health.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.AnalysisRequest;
import dev.stagecraft.contracts.AnalysisRequest.Target;
import dev.stagecraft.contracts.AnalysisSpec;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.LoadLoop;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import dev.stagecraft.health.analysis.AnalysisRuns;
import dev.stagecraft.health.testing.SampleApp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metric analyses end to end: requests in on {@code stagecraft.rollout-steps} through the real broker, real
 * sample-app processes measured from their /metrics, verdicts out on {@code stagecraft.health} and the API.
 * Windows of 2–4 s with a look every second and a sample size of 20 keep it quick.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "health"))
class AnalysisRequestsConsumerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    /** minRequests 20, a look every second; p99 up to 1s, so that a busy test machine cannot fail a healthy pool. */
    private static final AnalysisSpec QUICK = new AnalysisSpec(null, 1000, null, null, null, 20, null, "1s");
    private static final String SERVICE = "shop";
    private static final String ENVIRONMENT = "analysis-test";

    private static SampleApp healthy;
    private static SampleApp stable;
    private static SampleApp failing;
    private static SampleApp idle;
    private static CloudEventsTestClient kafka;

    @Inject
    AnalysisRuns runs;

    @BeforeAll
    static void start() {
        var starts = List.of(
                CompletableFuture.supplyAsync(() -> SampleApp.start("healthy", Map.of())),
                CompletableFuture.supplyAsync(() -> SampleApp.start("stable", Map.of())),
                CompletableFuture.supplyAsync(() -> SampleApp.start("failing", Map.of("SAMPLE_ERROR_RATE", "0.3"))),
                CompletableFuture.supplyAsync(() -> SampleApp.start("idle", Map.of())));
        healthy = starts.get(0).join();
        stable = starts.get(1).join();
        failing = starts.get(2).join();
        idle = starts.get(3).join();
        kafka = new CloudEventsTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] { kafka, healthy, stable, failing, idle }) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // the others still get closed
            }
        }
    }

    @Test
    void severalAnalysesRunSideBySide() throws Exception {
        String bad = UUID.randomUUID().toString();
        String good = UUID.randomUUID().toString();
        String quiet = UUID.randomUUID().toString();
        try (LoadLoop toFailing = load(failing); LoadLoop toHealthy = load(healthy); LoadLoop toStable = load(stable)) {
            publish(request(bad, 1, "canary", List.of(target(failing)), List.of(), 4_000, 0));
            publish(request(good, 1, "canary", List.of(target(healthy)), List.of(target(stable)), 3_000, 0));
            publish(request(quiet, 1, "green", List.of(target(idle)), List.of(), 3_000, 0));

            awaitVerdicts(bad, 1).then()
                    .body("[0].step", is(1))
                    .body("[0].result", equalTo("FAIL"))
                    .body("[0].reason", startsWith("error rate "))
                    .body("[0].reason", containsString(" requests to the canary broke the limit of 1.0% (maxErrorRate)"
                            + " after "))
                    .body("[0].reason", endsWith("s of a 4s window"))
                    .body("[0].measurements", hasSize(0))
                    .body("[0].analysis.find { it.metric == 'error-rate' }.result", equalTo("FAIL"))
                    .body("[0].analysis.find { it.metric == 'error-rate' }.threshold", is(0.01f));
            double rate = verdicts(bad).jsonPath().getDouble("[0].analysis.find { it.metric == 'error-rate' }.value");
            assertTrue(rate > 0.15 && rate < 0.45, "error rate of a 30% failing instance: " + rate);

            awaitVerdicts(good, 1).then()
                    .body("[0].result", equalTo("PASS"))
                    .body("[0].reason", startsWith("the canary passed every check over "))
                    .body("[0].analysis.metric", equalTo(List.of("error-rate", "p99-latency-ms", "error-rate-vs-stable",
                            "unreachable-instances")))
                    .body("[0].analysis.result", equalTo(List.of("PASS", "PASS", "PASS", "PASS")))
                    .body("[0].analysis[0].value", is(0.0f))
                    .body("[0].analysis[0].requests", greaterThanOrEqualTo(20))
                    .body("[0].analysis[2].baselineRequests", greaterThanOrEqualTo(20));
        }
        awaitVerdicts(quiet, 1).then()
                .body("[0].result", equalTo("INCONCLUSIVE"))
                .body("[0].reason", equalTo("no requests to the green in 3s; 20 are needed to judge it (minRequests)"));

        // Both 3 s windows began together: one after the other, their verdicts would be 3 s apart or more.
        Duration apart = Duration.between(at(good), at(quiet)).abs();
        assertTrue(apart.compareTo(Duration.ofSeconds(2)) < 0, "the windows ran side by side: " + apart);

        JsonNode event = JSON.readTree(kafka.await(Topics.HEALTH, r -> bad.equals(r.key()), PATIENCE).value());
        assertEquals("FAIL", event.get("result").asText());
        assertEquals("error-rate", event.get("analysis").get(0).get("metric").asText());
        given().auth().oauth2(TestTokens.admin()).get("/q/metrics").then().statusCode(200)
                .body(containsString("stagecraft_verdicts_total{kind=\"analysis\",result=\"PASS\"}"))
                .body(containsString("stagecraft_analysis_value{environment=\"" + ENVIRONMENT
                        + "\",metric=\"error-rate\",pool=\"canary\",service=\"" + SERVICE + "\"}"))
                .body(containsString("stagecraft_analysis_value{environment=\"" + ENVIRONMENT
                        + "\",metric=\"error-rate\",pool=\"baseline\",service=\"" + SERVICE + "\"} 0.0"))
                .body(containsString("stagecraft_analysis_requests_total{environment=\"" + ENVIRONMENT
                        + "\",pool=\"canary\",service=\"" + SERVICE + "\"}"))
                // the thresholds the dashboards draw as lines
                .body(containsString("stagecraft_analysis_threshold{environment=\"" + ENVIRONMENT
                        + "\",metric=\"error-rate\",service=\"" + SERVICE + "\"}"));
    }

    @Test
    void aRedeliveredRequestIsAnsweredOnce() throws Exception {
        String deployment = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        String first = json(request(deployment, 1, "green", List.of(target(idle)), List.of(), 2_000, 0));
        kafka.publish(Topics.ROLLOUT_STEPS, deployment, EventTypes.ANALYSIS_REQUESTED, eventId, first);
        kafka.publish(Topics.ROLLOUT_STEPS, deployment, EventTypes.ANALYSIS_REQUESTED, eventId, first);
        // Same key, same partition: once step 2 is answered, both copies of step 1 have been handled, and a
        // window the copy might have begun would have ended before step 2's.
        publish(request(deployment, 2, "green", List.of(target(idle)), List.of(), 2_000, 0));

        await().atMost(PATIENCE).until(() -> verdicts(deployment).<List<Integer>>path("step"), s -> s.contains(2));
        verdicts(deployment).then()
                .body("step", containsInAnyOrder(1, 2))
                .body("result", equalTo(List.of("INCONCLUSIVE", "INCONCLUSIVE")));
        assertEquals(2, runsOf(deployment));
    }

    @Test
    void aStepAskedAgainIsNotAnalysedTwice() throws Exception {
        // rollout-service asks once more when a verdict is late: a new event, the same deployment and step.
        String deployment = UUID.randomUUID().toString();
        String asked = json(request(deployment, 1, "green", List.of(target(idle)), List.of(), 4_000, 0));
        kafka.publish(Topics.ROLLOUT_STEPS, deployment, EventTypes.ANALYSIS_REQUESTED, UUID.randomUUID().toString(), asked);
        // asked again while its window runs: the running window answers
        kafka.publish(Topics.ROLLOUT_STEPS, deployment, EventTypes.ANALYSIS_REQUESTED, UUID.randomUUID().toString(), asked);
        String verdictId = awaitVerdicts(deployment, 1).then().body("[0].result", equalTo("INCONCLUSIVE"))
                .extract().path("[0].id");

        // asked again after it ended: the same verdict, announced again
        kafka.publish(Topics.ROLLOUT_STEPS, deployment, EventTypes.ANALYSIS_REQUESTED, UUID.randomUUID().toString(), asked);
        List<String> announced = new ArrayList<>();
        await().atMost(PATIENCE).until(() -> {
            announced.clear();
            kafka.readAll(Topics.HEALTH, Duration.ofSeconds(4)).stream().filter(r -> deployment.equals(r.key()))
                    .forEach(r -> announced.add(verdictIdOf(r.value())));
            return announced.size() >= 2;
        });
        assertEquals(List.of(verdictId, verdictId), announced,
                "announced by the window, and again for the request asked after it ended; never judged twice");
        assertEquals(1, runsOf(deployment), "one window ran");
        verdicts(deployment).then().body("size()", is(1));
    }

    private static String verdictIdOf(String json) {
        try {
            return JSON.readTree(json).get("verdictId").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void syntheticTrafficLetsAPoolWithoutUsersBeJudged() {
        String deployment = UUID.randomUUID().toString();
        publish(request(deployment, 4, "green", List.of(target(idle)), List.of(), 3_000, 60));

        awaitVerdicts(deployment, 1).then()
                .body("[0].result", equalTo("PASS"))
                .body("[0].reason", startsWith("the green passed every check over 60 requests in 3s: "))
                .body("[0].reason", endsWith("; the traffic was synthetic: health-monitor sent 60 requests (GET /)"))
                .body("[0].analysis[0].requests", is(60));
    }

    @Test
    void aPoolInstanceThatStopsAnsweringFailsTheAnalysis() {
        String deployment = UUID.randomUUID().toString();
        String gone = "127.0.0.1:" + SampleApp.freePort();
        publish(request(deployment, 1, "green", List.of(target(idle), new Target("i-gone", gone)), List.of(), 2_000, 0));

        awaitVerdicts(deployment, 1).then()
                .body("[0].result", equalTo("FAIL"))
                .body("[0].reason", startsWith("the metrics of green instance i-gone (" + gone + ") could not be read"
                        + " at the end of the window: could not connect"))
                .body("[0].analysis.find { it.metric == 'unreachable-instances' }.value", is(1.0f));
    }

    @Test
    void aRunACrashLeftRunningIsRestarted() throws Exception {
        String deployment = UUID.randomUUID().toString();
        String runId = UUID.randomUUID().toString();
        String request = json(request(deployment, 7, "green", List.of(target(idle)), List.of(), 2_000, 0));
        try (Connection db = database(); PreparedStatement insert = db.prepareStatement("INSERT INTO analysis_run"
                + " (id, deployment_id, step, request, status, created_at, started_at, starts, version)"
                + " VALUES (?, ?, 7, ?, 'RUNNING', ?, ?, 1, 0)")) {
            Timestamp longAgo = Timestamp.from(Instant.now().minusSeconds(600));
            insert.setString(1, runId);
            insert.setString(2, deployment);
            insert.setString(3, request);
            insert.setTimestamp(4, longAgo);
            insert.setTimestamp(5, longAgo);
            insert.executeUpdate();
        }

        assertTrue(runs.resumeUnfinished().await().atMost(PATIENCE) >= 1);

        String verdictId = awaitVerdicts(deployment, 1).then()
                .body("[0].step", is(7))
                .body("[0].result", equalTo("INCONCLUSIVE"))
                .extract().path("[0].id");
        try (Connection db = database(); PreparedStatement select = db.prepareStatement(
                "SELECT status, starts, verdict_id FROM analysis_run WHERE id = ?")) {
            select.setString(1, runId);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                assertEquals("DONE", row.getString("status"));
                assertEquals(2, row.getInt("starts"));
                assertEquals(verdictId, row.getString("verdict_id"));
            }
        }
    }

    @Test
    void requestsThatCannotBeAnalysedAreAnsweredOrDeadLettered() throws Exception {
        String deployment = UUID.randomUUID().toString();
        // inventory-service's business on the same topic: skipped.
        kafka.publish(Topics.ROLLOUT_STEPS, deployment, EventTypes.UPDATE_REQUESTED,
                JSON.writeValueAsString(StepRequest.update(deployment, 1, SERVICE, ENVIRONMENT, List.of())));
        publish(request(deployment, 2, "canary", List.of(), List.of(), 2_000, 0));
        String marker = UUID.randomUUID().toString();
        publish(new AnalysisRequest(null, 3, SERVICE, ENVIRONMENT, marker, List.of(target(idle)), List.of(), 2_000,
                QUICK, 0), deployment);

        awaitVerdicts(deployment, 1).then()
                .body("", hasSize(1))
                .body("[0].step", is(2))
                .body("[0].result", equalTo("FAIL"))
                .body("[0].reason", equalTo("cannot analyse: the request names no instance to judge (pool is empty)"));
        kafka.await(Topics.deadLetter("health-monitor"), r -> r.value() != null && r.value().contains(marker), PATIENCE);
    }

    private static LoadLoop load(SampleApp app) {
        return LoadLoop.start(app.url(), 1, 2_000, Duration.ofSeconds(20), Duration.ofMillis(10));
    }

    private static Target target(SampleApp app) {
        return new Target("i-" + app.name(), app.address());
    }

    private static AnalysisRequest request(String deployment, int step, String purpose, List<Target> pool,
            List<Target> baseline, long windowMs, int synthetic) {
        return new AnalysisRequest(deployment, step, SERVICE, ENVIRONMENT, purpose, pool, baseline, windowMs, QUICK,
                synthetic);
    }

    private static void publish(AnalysisRequest request) {
        publish(request, request.deploymentId());
    }

    private static void publish(AnalysisRequest request, String key) {
        kafka.publish(Topics.ROLLOUT_STEPS, key, EventTypes.ANALYSIS_REQUESTED, json(request));
    }

    private static String json(Object payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response verdicts(String deployment) {
        return given().auth().oauth2(TestTokens.admin()).queryParam("deployment", deployment).get("/api/v1/verdicts")
                .then().statusCode(200).extract().response();
    }

    private static Response awaitVerdicts(String deployment, int count) {
        await().atMost(PATIENCE).until(() -> verdicts(deployment).path("size()"), n -> (Integer) n >= count);
        return verdicts(deployment);
    }

    private static Instant at(String deployment) {
        return Instant.parse(verdicts(deployment).path("[0].at"));
    }

    private static Connection database() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    private static int runsOf(String deployment) throws SQLException {
        try (Connection db = database();
                PreparedStatement count = db.prepareStatement("SELECT count(*) FROM analysis_run WHERE deployment_id = ?")) {
            count.setString(1, deployment);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
