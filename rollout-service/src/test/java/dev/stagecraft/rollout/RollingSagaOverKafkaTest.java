package dev.stagecraft.rollout;

import dev.stagecraft.devinfra.TestTokens;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * rollout-service alone against the real broker and database: this test plays inventory-service
 * and health-monitor, answering each step request the saga publishes, and checks what the saga
 * asks for next and what it tells the world.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class RollingSagaOverKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    /** Stand-ins for sealed secrets: the saga passes them on to inventory-service and never shows them. */
    private static final String OLD_SEALED = "sealed:v2:default:T0xELXNlYWxlZC12YWx1ZQ==";
    private static final String NEW_SEALED = "sealed:v2:default:TkVXLXNlYWxlZC12YWx1ZQ==";
    private static final ReleaseSpec OLD = new ReleaseSpec("shop", "1.0.0", new ArtifactRef("file:/a.jar", "a".repeat(64)),
            null, java.util.Map.of("API_TOKEN", OLD_SEALED));
    private static final ReleaseSpec NEW = new ReleaseSpec("shop", "2.0.0", new ArtifactRef("file:/b.jar", "b".repeat(64)),
            null, java.util.Map.of("DB_PASSWORD", NEW_SEALED));
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
    void rollsATwoInstanceFleetForwardBatchByBatch() throws Exception {
        String id = requestDeployment();
        JsonNode resolve = awaitStep(id, EventTypes.RESOLVE_REQUESTED, 1);
        assertEquals("staging", resolve.get("environment").asText());
        answer(Topics.INSTANCES, id, EventTypes.TARGETS_RESOLVED, new TargetsResolved(id, true, 2, List.of(
                new InstanceRef("i-b", "127.0.0.1:2", "IN_SERVICE", OLD),
                new InstanceRef("i-a", "127.0.0.1:1", "IN_SERVICE", OLD))));

        for (String instance : List.of("i-a", "i-b")) {
            JsonNode update = awaitStepFor(id, EventTypes.UPDATE_REQUESTED, instance);
            int step = update.get("step").asInt();
            assertEquals("2.0.0", update.get("assignments").get(0).get("release").get("version").asText());
            assertEquals(NEW_SEALED, update.get("assignments").get(0).get("release").get("secrets").get("DB_PASSWORD")
                    .asText(), "the driver gets the sealed secret as release-service sealed it");
            answer(Topics.INSTANCES, id, EventTypes.INSTANCES_UPDATED, changed(id, step, instance, true));
            answer(Topics.HEALTH, id, EventTypes.VERDICT_REACHED, verdict(id, step, VerdictReached.PASS));
            JsonNode enable = awaitStep(id, EventTypes.ENABLE_REQUESTED, step + 1);
            assertEquals(instance, enable.get("instanceIds").get(0).asText());
            answer(Topics.INSTANCES, id, EventTypes.INSTANCES_ENABLED, changed(id, step + 1, instance, true));
        }
        awaitLifecycle(id, EventTypes.DEPLOYMENT_SUCCEEDED);
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/sagas/" + id).then().statusCode(200).body("status", equalTo("SUCCEEDED"))
                .body("phase", equalTo("DONE")).body("decisions.fact", hasItem(containsString("verdict PASS")));
        given().auth().oauth2(TestTokens.admin()).get("/q/metrics").then().statusCode(200)
                .body(containsString("stagecraft_deployments_total{outcome=\"SUCCEEDED\",strategy=\"rolling\"}"))
                .body(containsString("stagecraft_rollout_step_seconds_count{direction=\"forward\",phase=\"verifying\"}"));
    }

    @Test
    void aFailingVerdictRestoresThePreviousReleaseAndAStaleAnswerIsIgnored() throws Exception {
        String id = requestDeployment();
        awaitStep(id, EventTypes.RESOLVE_REQUESTED, 1);
        answer(Topics.INSTANCES, id, EventTypes.TARGETS_RESOLVED, new TargetsResolved(id, true, 1, List.of(
                new InstanceRef("i-a", "127.0.0.1:1", "IN_SERVICE", OLD))));
        JsonNode update = awaitStepFor(id, EventTypes.UPDATE_REQUESTED, "i-a");
        int step = update.get("step").asInt();
        answer(Topics.INSTANCES, id, EventTypes.INSTANCES_UPDATED, changed(id, step, "i-a", true));
        answer(Topics.HEALTH, id, EventTypes.VERDICT_REACHED, verdict(id, step, VerdictReached.FAIL));
        JsonNode restore = awaitStep(id, EventTypes.UPDATE_REQUESTED, step + 1);
        assertEquals("1.0.0", restore.get("assignments").get(0).get("release").get("version").asText());
        ConsumerRecord<String, String> rollingBack = awaitLifecycle(id, EventTypes.DEPLOYMENT_ROLLING_BACK);
        org.hamcrest.MatcherAssert.assertThat(rollingBack.value(), containsString("readiness 503"));

        // a late verdict about the old step changes nothing
        answer(Topics.HEALTH, id, EventTypes.VERDICT_REACHED, verdict(id, step, VerdictReached.PASS));
        answer(Topics.INSTANCES, id, EventTypes.INSTANCES_UPDATED, changed(id, step + 1, "i-a", true));
        answer(Topics.HEALTH, id, EventTypes.VERDICT_REACHED, verdict(id, step + 1, VerdictReached.PASS));
        awaitStep(id, EventTypes.ENABLE_REQUESTED, step + 2);
        answer(Topics.INSTANCES, id, EventTypes.INSTANCES_ENABLED, changed(id, step + 2, "i-a", true));
        awaitLifecycle(id, EventTypes.DEPLOYMENT_ROLLED_BACK);
        String view = given().auth().oauth2(TestTokens.token("vic", "viewer")).get("/api/v1/sagas/" + id).then()
                .body("status", equalTo("ROLLED_BACK")).body("decisions.decision", hasItem(containsString("ignored")))
                .body("state.target.secrets.DB_PASSWORD", equalTo("***"))
                .body("state.previous.releases[0].secrets.API_TOKEN", equalTo("***"))
                .body("state.previous.instances.'i-a'", equalTo(0)).extract().asString();
        org.hamcrest.MatcherAssert.assertThat("a viewer sees no sealed value", view,
                org.hamcrest.Matchers.not(containsString("sealed:")));
        String list = given().auth().oauth2(TestTokens.token("vic", "viewer")).get("/api/v1/sagas").then().statusCode(200)
                .extract().asString();
        org.hamcrest.MatcherAssert.assertThat(list, org.hamcrest.Matchers.not(containsString("sealed:")));
    }

    @Test
    void aVerdictThatNeverComesMissesItsDeadlineAndTheSagaRollsBack() throws Exception {
        String id = requestDeployment();
        awaitStep(id, EventTypes.RESOLVE_REQUESTED, 1);
        answer(Topics.INSTANCES, id, EventTypes.TARGETS_RESOLVED, new TargetsResolved(id, true, 1, List.of(
                new InstanceRef("i-a", "127.0.0.1:1", "IN_SERVICE", OLD))));
        JsonNode update = awaitStepFor(id, EventTypes.UPDATE_REQUESTED, "i-a");
        answer(Topics.INSTANCES, id, EventTypes.INSTANCES_UPDATED, changed(id, update.get("step").asInt(), "i-a", true));
        // no verdict: the 3 s test deadline passes, the saga asks again, and the second miss turns it round
        ConsumerRecord<String, String> askedAgain = kafka.await(Topics.DEPLOYMENTS, r -> id.equals(r.key())
                && EventTypes.DEPLOYMENT_PROGRESSED.equals(type(r)) && r.value().contains("asking again"), WAIT);
        ConsumerRecord<String, String> rollingBack = awaitLifecycle(id, EventTypes.DEPLOYMENT_ROLLING_BACK);
        org.hamcrest.MatcherAssert.assertThat(rollingBack.value(), containsString("missed its deadline"));
        assertTrue(rollingBack.timestamp() - askedAgain.timestamp() >= 2_500,
                "the second chance lasts a whole deadline: " + (rollingBack.timestamp() - askedAgain.timestamp()));
        awaitStep(id, EventTypes.UPDATE_REQUESTED, update.get("step").asInt() + 1);
    }

    @Test
    void anOperatorAbortBeforeTheFleetIsKnownEndsTheSagaAborted() throws Exception {
        String id = requestDeployment();
        awaitStep(id, EventTypes.RESOLVE_REQUESTED, 1);
        answer(Topics.ROLLBACKS, id, EventTypes.ABORT_REQUESTED, new dev.stagecraft.contracts.OperatorRequest(id,
                "changed my mind", "test", Instant.now()));
        ConsumerRecord<String, String> aborted = awaitLifecycle(id, EventTypes.DEPLOYMENT_ABORTED);
        org.hamcrest.MatcherAssert.assertThat(aborted.value(), containsString("changed my mind"));
    }

    @Test
    void aMaskedDeploymentRequestedNeverStartsASagaButOneAnEarlierReleaseServiceLeftDoes() throws Exception {
        String id = UUID.randomUUID().toString();
        // one key, one partition, read in order: the masked record first, then the complete one an older
        // release-service would have written (the upgrade path). Had the masked one started the saga, the update
        // below would carry "***" instead of the sealed value.
        DeploymentRequested request = new DeploymentRequested(id, "shop", "2.0.0", "staging", NEW,
                StrategySpec.rolling("1"), "test", Instant.now());
        answer(Topics.DEPLOYMENTS, id, EventTypes.DEPLOYMENT_REQUESTED, request.forFollowers());
        answer(Topics.DEPLOYMENTS, id, EventTypes.DEPLOYMENT_REQUESTED, request);
        awaitStep(id, EventTypes.RESOLVE_REQUESTED, 1);
        answer(Topics.INSTANCES, id, EventTypes.TARGETS_RESOLVED, new TargetsResolved(id, true, 1, List.of(
                new InstanceRef("i-a", "127.0.0.1:1", "IN_SERVICE", OLD))));
        JsonNode update = awaitStep(id, EventTypes.UPDATE_REQUESTED, 2);
        assertEquals(NEW_SEALED, update.at("/assignments/0/release/secrets/DB_PASSWORD").asText(), update.toString());
    }

    @Test
    void aCanaryIsAnalysedPausedAndRolledBackOverKafka() throws Exception {
        String id = UUID.randomUUID().toString();
        StrategySpec canary = dev.stagecraft.contracts.StrategyRules.check(new StrategySpec("canary", null, null,
                List.of(new StrategySpec.CanaryStep(10, "30s", null)), null, null, null, null, null, null, null)).spec();
        answer(Topics.SAGA_STARTS, id, EventTypes.SAGA_START_REQUESTED, new DeploymentRequested(id, "shop", "2.0.0",
                "staging", NEW, canary, "test", Instant.now()));
        awaitStep(id, EventTypes.RESOLVE_REQUESTED, 1);
        answer(Topics.INSTANCES, id, EventTypes.TARGETS_RESOLVED, new TargetsResolved(id, true, 2, List.of(
                new InstanceRef("i-a", "127.0.0.1:1", "IN_SERVICE", OLD, "stable"),
                new InstanceRef("i-b", "127.0.0.1:2", "IN_SERVICE", OLD, "stable"))));
        JsonNode provision = awaitStep(id, EventTypes.PROVISION_REQUESTED, 2);
        assertEquals("canary", provision.get("pool").asText());
        answer(Topics.INSTANCES, id, EventTypes.INSTANCES_PROVISIONED, changed(id, 2, "i-c", true));
        answer(Topics.HEALTH, id, EventTypes.VERDICT_REACHED, verdict(id, 2, VerdictReached.PASS));
        JsonNode weigh = awaitStep(id, EventTypes.WEIGHTS_REQUESTED, 3);
        assertEquals(10, weigh.get("weights").get("canary").asInt());
        assertEquals(90, weigh.get("weights").get("stable").asInt());
        answer(Topics.INSTANCES, id, EventTypes.INSTANCES_WEIGHTED, changed(id, 3, "i-c", true));
        JsonNode analysis = awaitStep(id, EventTypes.ANALYSIS_REQUESTED, 4);
        assertEquals("i-c", analysis.get("pool").get(0).get("instanceId").asText());
        assertEquals(2, analysis.get("baseline").size());
        assertEquals(30_000, analysis.get("windowMs").asLong());
        given().auth().oauth2(TestTokens.admin()).get("/q/metrics").then()
                .body(containsString("stagecraft_canary_weight{deployment=\"" + id + "\""));

        answer(Topics.ROLLBACKS, id, EventTypes.PAUSE_REQUESTED, new dev.stagecraft.contracts.OperatorRequest(id,
                null, "alice", Instant.now()));
        org.hamcrest.MatcherAssert.assertThat(awaitLifecycle(id, EventTypes.DEPLOYMENT_PAUSED).value(),
                containsString("paused by alice"));
        // the analysis of the interrupted window answers late: ignored
        answer(Topics.HEALTH, id, EventTypes.VERDICT_REACHED, verdict(id, 4, VerdictReached.PASS));
        answer(Topics.ROLLBACKS, id, EventTypes.ROLLBACK_REQUESTED, new dev.stagecraft.contracts.OperatorRequest(id,
                "not today", "alice", Instant.now()));
        JsonNode back = awaitStep(id, EventTypes.WEIGHTS_REQUESTED, 6);
        assertEquals(0, back.get("weights").get("canary").asInt());
        answer(Topics.INSTANCES, id, EventTypes.INSTANCES_WEIGHTED, changed(id, 6, "i-c", true));
        JsonNode remove = awaitStep(id, EventTypes.DECOMMISSION_REQUESTED, 7);
        assertEquals("i-c", remove.get("instanceIds").get(0).asText());
        answer(Topics.INSTANCES, id, EventTypes.INSTANCES_DECOMMISSIONED, changed(id, 7, "i-c", true));
        org.hamcrest.MatcherAssert.assertThat(awaitLifecycle(id, EventTypes.DEPLOYMENT_ROLLED_BACK).value(),
                containsString("not today"));
    }

    // --- playing the other services -----------------------------------------------------------------

    /** As release-service asks: the masked request for followers, and its sealed twin on the saga-starts topic. */
    private static String requestDeployment() throws Exception {
        String id = UUID.randomUUID().toString();
        DeploymentRequested request = new DeploymentRequested(id, "shop", "2.0.0", "staging", NEW,
                StrategySpec.rolling("1"), "test", Instant.now());
        answer(Topics.DEPLOYMENTS, id, EventTypes.DEPLOYMENT_REQUESTED, request.forFollowers());
        answer(Topics.SAGA_STARTS, id, EventTypes.SAGA_START_REQUESTED, request);
        return id;
    }

    private static void answer(String topic, String id, String type, Object payload) throws Exception {
        kafka.publish(topic, id, type, JSON.writeValueAsString(payload));
    }

    private static InstancesChanged changed(String id, int step, String instance, boolean ok) {
        return new InstancesChanged(id, step, List.of(new InstanceOutcome(instance, "127.0.0.1:1", "2.0.0", ok,
                ok ? null : "boom")));
    }

    private static VerdictReached verdict(String id, int step, String result) {
        return new VerdictReached(UUID.randomUUID().toString(), id, step, result, "readiness 503", List.of(),
                Instant.now());
    }

    private static JsonNode awaitStep(String id, String type, int step) throws Exception {
        return JSON.readTree(kafka.await(Topics.ROLLOUT_STEPS, r -> id.equals(r.key()) && type.equals(type(r))
                && stepOf(r) == step, WAIT).value());
    }

    private static JsonNode awaitStepFor(String id, String type, String instance) throws Exception {
        return JSON.readTree(kafka.await(Topics.ROLLOUT_STEPS, r -> id.equals(r.key()) && type.equals(type(r))
                && r.value().contains("\"instanceId\":\"" + instance + "\""), WAIT).value());
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
