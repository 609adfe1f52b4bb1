package dev.stagecraft.rollout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstanceRef;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.contracts.TargetsResolved;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Answers in an order a restarted consumer may read them, and answers that come late: this test plays
 * inventory-service and health-monitor against the real rollout-service, broker and database.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class SagaAnswersOverKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final ReleaseSpec OLD = new ReleaseSpec("shop", "1.0.0", new ArtifactRef("file:/a.jar", "a".repeat(64)),
            null);
    private static final ReleaseSpec NEW = new ReleaseSpec("shop", "2.0.0", new ArtifactRef("file:/b.jar", "b".repeat(64)),
            null);
    static CloudEventsTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new CloudEventsTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aVerdictReadBeforeTheUpdateItJudgesIsKeptAndAppliedWithIt() throws Exception {
        String id = requestDeployment();
        int step = updateRequestedFor(id);
        // health-monitor's verdict on the step comes first (another topic, read earlier after a restart) ...
        answer(Topics.HEALTH, id, EventTypes.VERDICT_REACHED, verdict(id, step, VerdictReached.PASS));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.admin())
                .get("/api/v1/sagas/" + id).then().body("decisions.decision", hasItem(containsString("kept"))));
        // ... then inventory-service's answer that the verdict judges: both are applied, and the saga moves on
        answer(Topics.INSTANCES, id, EventTypes.INSTANCES_UPDATED, changed(id, step));
        awaitStep(id, EventTypes.ENABLE_REQUESTED, step + 1);
        answer(Topics.INSTANCES, id, EventTypes.INSTANCES_ENABLED, changed(id, step + 1));
        awaitLifecycle(id, EventTypes.DEPLOYMENT_SUCCEEDED);
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/sagas/" + id).then().body("status", equalTo("SUCCEEDED"))
                .body("decisions.fact", hasItem(containsString("kept verdict PASS for step " + step)));
    }

    @Test
    void aLateAnswerIsAskedForAgainUnderTheSameStepAndStillCounts() throws Exception {
        String id = requestDeployment();
        int step = updateRequestedFor(id);
        answer(Topics.INSTANCES, id, EventTypes.INSTANCES_UPDATED, changed(id, step));
        // health-monitor's verdict never arrives: at the 3 s test deadline the saga asks again, under the same step
        ConsumerRecord<String, String> askedAgain = kafka.await(Topics.DEPLOYMENTS, r -> id.equals(r.key())
                && EventTypes.DEPLOYMENT_PROGRESSED.equals(type(r)) && r.value().contains("asking again"), WAIT);
        List<ConsumerRecord<String, String>> updates = kafka.readAll(Topics.ROLLOUT_STEPS, Duration.ofSeconds(2))
                .stream().filter(r -> id.equals(r.key()) && EventTypes.UPDATE_REQUESTED.equals(type(r))).toList();
        assertEquals(List.of(step, step), updates.stream().map(SagaAnswersOverKafkaTest::stepOf).toList(),
                "the update asked once, then once again under its own step");
        // inventory-service answers the step again, health-monitor judges it, within the second deadline: it counts
        answer(Topics.INSTANCES, id, EventTypes.INSTANCES_UPDATED, changed(id, step));
        answer(Topics.HEALTH, id, EventTypes.VERDICT_REACHED, verdict(id, step, VerdictReached.PASS));
        awaitStep(id, EventTypes.ENABLE_REQUESTED, step + 1);
        answer(Topics.INSTANCES, id, EventTypes.INSTANCES_ENABLED, changed(id, step + 1));
        ConsumerRecord<String, String> succeeded = awaitLifecycle(id, EventTypes.DEPLOYMENT_SUCCEEDED);
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/sagas/" + id).then().body("status", equalTo("SUCCEEDED"));
        System.out.printf("asked again after a missed deadline; succeeded %d ms later%n",
                succeeded.timestamp() - askedAgain.timestamp());
    }

    /**
     * The relay publishes a hop's request as soon as its transaction commits: with the polling period set to 2 s for
     * the tests, a relay that only polled would wait a second per hop on average, on top of the processing.
     */
    @Test
    void eachHopTakesWhatTheBrokerTakesNotThePollingPeriod() throws Exception {
        List<Long> hops = new java.util.ArrayList<>();
        String id = requestDeployment();
        awaitStep(id, EventTypes.RESOLVE_REQUESTED, 1);
        long answered = answerAt(Topics.INSTANCES, id, EventTypes.TARGETS_RESOLVED, new TargetsResolved(id, true, 3,
                List.of(new InstanceRef("i-a", "127.0.0.1:1", "IN_SERVICE", OLD),
                        new InstanceRef("i-b", "127.0.0.1:2", "IN_SERVICE", OLD),
                        new InstanceRef("i-c", "127.0.0.1:3", "IN_SERVICE", OLD))));
        int step = 2;
        for (int batch = 0; batch < 3; batch++) {
            hops.add(stepRecord(id, EventTypes.UPDATE_REQUESTED, step).timestamp() - answered);
            answer(Topics.INSTANCES, id, EventTypes.INSTANCES_UPDATED, changed(id, step));
            answered = answerAt(Topics.HEALTH, id, EventTypes.VERDICT_REACHED, verdict(id, step, VerdictReached.PASS));
            hops.add(stepRecord(id, EventTypes.ENABLE_REQUESTED, step + 1).timestamp() - answered);
            answered = answerAt(Topics.INSTANCES, id, EventTypes.INSTANCES_ENABLED, changed(id, step + 1));
            step += 2;
        }
        hops.add(awaitLifecycle(id, EventTypes.DEPLOYMENT_SUCCEEDED).timestamp() - answered);
        List<Long> sorted = hops.stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        System.out.printf("saga hop (answer produced → request produced), %d hops: median %d ms, max %d ms%n",
                sorted.size(), median, sorted.get(sorted.size() - 1));
        org.junit.jupiter.api.Assertions.assertTrue(median < 1000, "hops " + hops + " look like polling, not waking");
    }

    // --- playing the other services -----------------------------------------------------------------

    private static String requestDeployment() throws Exception {
        String id = UUID.randomUUID().toString();
        answer(Topics.DEPLOYMENTS, id, EventTypes.DEPLOYMENT_REQUESTED, new DeploymentRequested(id, "shop", "2.0.0",
                "staging", NEW, StrategySpec.rolling("1"), "test", Instant.now()));
        return id;
    }

    /** Resolves a fleet of one instance and answers the step number of the update the saga asks for. */
    private static int updateRequestedFor(String id) throws Exception {
        awaitStep(id, EventTypes.RESOLVE_REQUESTED, 1);
        answer(Topics.INSTANCES, id, EventTypes.TARGETS_RESOLVED, new TargetsResolved(id, true, 1, List.of(
                new InstanceRef("i-a", "127.0.0.1:1", "IN_SERVICE", OLD))));
        return awaitStep(id, EventTypes.UPDATE_REQUESTED, 2).get("step").asInt();
    }

    private static void answer(String topic, String id, String type, Object payload) throws Exception {
        kafka.publish(topic, id, type, JSON.writeValueAsString(payload));
    }

    /** Publishes an answer; answers its record's timestamp, as the broker stored it. */
    private static long answerAt(String topic, String id, String type, Object payload) throws Exception {
        String eventId = kafka.publish(topic, id, type, JSON.writeValueAsString(payload));
        return kafka.await(topic, r -> eventId.equals(CloudEventsTestClient.header(r, "ce_id")), WAIT).timestamp();
    }

    private static ConsumerRecord<String, String> stepRecord(String id, String type, int step) {
        return kafka.await(Topics.ROLLOUT_STEPS, r -> id.equals(r.key()) && type.equals(type(r)) && stepOf(r) == step,
                WAIT);
    }

    private static InstancesChanged changed(String id, int step) {
        return new InstancesChanged(id, step, List.of(new InstanceOutcome("i-a", "127.0.0.1:1", "2.0.0", true, null)));
    }

    private static VerdictReached verdict(String id, int step, String result) {
        return new VerdictReached(UUID.randomUUID().toString(), id, step, result, "live and ready", List.of(),
                Instant.now());
    }

    private static JsonNode awaitStep(String id, String type, int step) throws Exception {
        return JSON.readTree(kafka.await(Topics.ROLLOUT_STEPS, r -> id.equals(r.key()) && type.equals(type(r))
                && stepOf(r) == step, WAIT).value());
    }

    private static ConsumerRecord<String, String> awaitLifecycle(String id, String type) {
        return kafka.await(Topics.DEPLOYMENTS, r -> id.equals(r.key()) && type.equals(type(r)), WAIT);
    }

    private static String type(ConsumerRecord<String, String> r) {
        return CloudEventsTestClient.header(r, "ce_type");
    }

    private static int stepOf(ConsumerRecord<String, String> r) {
        try {
            return JSON.readTree(r.value()).get("step").asInt();
        } catch (Exception e) {
            return -1;
        }
    }
}
