package dev.stagecraft.health.messaging;

import dev.stagecraft.devinfra.TestTokens;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.health.probe.FakeInstance;
import dev.stagecraft.platform.messaging.CloudEventHeaders;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service against a real broker and database, probing real HTTP servers: events in on
 * {@code stagecraft.instances}, verdicts out on {@code stagecraft.health} and through the REST API.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = "database", value = "health"))
class InstanceEventsConsumerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private static FakeInstance ready;
    private static FakeInstance notReady;
    private static KafkaTestClient kafka;

    @BeforeAll
    static void start() {
        ready = FakeInstance.healthy();
        notReady = FakeInstance.notReady();
        kafka = new KafkaTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void stop() {
        kafka.close();
        ready.close();
        notReady.close();
    }

    @Test
    void aStepWithAnInstanceThatIsNotReadyFails() throws Exception {
        String deployment = UUID.randomUUID().toString();
        publishStep(UUID.randomUUID().toString(), EventTypes.INSTANCES_UPDATED, deployment, 1,
                new InstanceOutcome("i-ok", ready.address(), "1.1.0", true, null),
                new InstanceOutcome("i-bad", notReady.address(), "1.1.0", true, null));

        awaitVerdicts(deployment, 1).then()
                .body("", hasSize(1))
                .body("[0].deploymentId", equalTo(deployment))
                .body("[0].step", is(1))
                .body("[0].result", equalTo("FAIL"))
                .body("[0].reason", startsWith("readiness of i-bad (" + notReady.address() + ") failed: "))
                .body("[0].reason", containsString("last answer HTTP 503"))
                .body("[0].measurements", hasSize(4))
                .body("[0].measurements.find { it.instanceId == 'i-bad' && it.probe == 'readiness' }.lastStatus",
                        is(503));

        List<ConsumerRecord<String, String>> published = kafka.read(Topics.HEALTH,
                r -> deployment.equals(r.key()), 1, PATIENCE);
        assertEquals(1, published.size(), "one verdict event for the deployment");
        ConsumerRecord<String, String> event = published.get(0);
        assertEquals(EventTypes.VERDICT_REACHED, KafkaTestClient.header(event, CloudEventHeaders.TYPE));
        assertEquals("1.0", KafkaTestClient.header(event, CloudEventHeaders.SPEC_VERSION));
        assertEquals("/stagecraft/health-monitor", KafkaTestClient.header(event, CloudEventHeaders.SOURCE));
        JsonNode verdict = JSON.readTree(event.value());
        assertEquals("FAIL", verdict.get("result").asText());
        assertEquals(deployment, verdict.get("deploymentId").asText());
        String verdictId = given().auth().oauth2(TestTokens.admin()).queryParam("deployment", deployment).get("/api/v1/verdicts").then()
                .extract().path("[0].id");
        assertEquals(verdictId, verdict.get("verdictId").asText());

        given().auth().oauth2(TestTokens.admin()).get("/q/metrics").then().statusCode(200)
                .body(containsString("stagecraft_verdicts_total{kind=\"probe\",result=\"FAIL\"}"))
                .body(containsString("stagecraft_probe_seconds_count{outcome=\"fail\",probe=\"readiness\"}"));
    }

    @Test
    void aStepWhoseInstancesAnswerPasses() {
        String deployment = UUID.randomUUID().toString();
        publishStep(UUID.randomUUID().toString(), EventTypes.INSTANCES_PROVISIONED, deployment, 0,
                new InstanceOutcome("i-1", ready.address(), "1.0.0", true, null));

        awaitVerdicts(deployment, 1).then()
                .body("", hasSize(1))
                .body("[0].result", equalTo("PASS"))
                .body("[0].reason", startsWith("instance i-1 (" + ready.address() + ") live and ready"));
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() {
        String deployment = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        InstanceOutcome instance = new InstanceOutcome("i-1", ready.address(), "1.0.0", true, null);
        publishStep(eventId, EventTypes.INSTANCES_UPDATED, deployment, 1, instance);
        publishStep(eventId, EventTypes.INSTANCES_UPDATED, deployment, 1, instance);
        // Same key, same partition: once step 2 is judged, both copies of step 1 have been handled.
        publishStep(UUID.randomUUID().toString(), EventTypes.INSTANCES_UPDATED, deployment, 2, instance);

        awaitVerdictFor(deployment, 2).then()
                .body("step", equalTo(List.of(1, 2)));
    }

    @Test
    void aStepAskedAgainIsAnsweredWithItsVerdictNotProbedAgain() throws Exception {
        String deployment = UUID.randomUUID().toString();
        publishStep(UUID.randomUUID().toString(), EventTypes.INSTANCES_UPDATED, deployment, 1,
                new InstanceOutcome("i-1", ready.address(), "1.0.0", true, null));
        awaitVerdicts(deployment, 1);
        // The same step again under a new event (inventory-service answering a step rollout-service asked again).
        // Probed again, this instance would fail; the verdict already reached is announced instead.
        publishStep(UUID.randomUUID().toString(), EventTypes.INSTANCES_UPDATED, deployment, 1,
                new InstanceOutcome("i-1", notReady.address(), "1.0.0", true, null));

        List<ConsumerRecord<String, String>> published = kafka.read(Topics.HEALTH,
                r -> deployment.equals(r.key()), 2, PATIENCE);
        assertEquals(2, published.size(), "the verdict announced twice");
        JsonNode first = JSON.readTree(published.get(0).value());
        JsonNode again = JSON.readTree(published.get(1).value());
        assertEquals("PASS", again.get("result").asText());
        assertEquals(first.get("verdictId").asText(), again.get("verdictId").asText(), "the same verdict");
        given().auth().oauth2(TestTokens.admin()).queryParam("deployment", deployment).get("/api/v1/verdicts").then()
                .body("", hasSize(1));
    }

    @Test
    void poisonRecordsAreDeadLetteredAndTheRecordsBehindThemStillFlow() {
        String deployment = UUID.randomUUID().toString();
        kafka.publishRaw(Topics.INSTANCES, deployment, "not a CloudEvent");
        kafka.publishEvent(Topics.INSTANCES, UUID.randomUUID().toString(), EventTypes.INSTANCES_UPDATED, deployment,
                "{not json");
        kafka.publishEvent(Topics.INSTANCES, UUID.randomUUID().toString(), EventTypes.INSTANCES_UPDATED, deployment,
                "{\"deploymentId\":\"" + deployment + "\",\"step\":1,\"outcomes\":\"none\"}");
        // Not this service's business: skipped, no verdict.
        publishStep(UUID.randomUUID().toString(), EventTypes.INSTANCES_ENABLED, deployment, 1,
                new InstanceOutcome("i-1", ready.address(), "1.0.0", true, null));
        publishStep(UUID.randomUUID().toString(), EventTypes.INSTANCES_UPDATED, deployment, 2,
                new InstanceOutcome("i-1", ready.address(), "1.0.0", true, null));

        awaitVerdictFor(deployment, 2).then()
                .body("step", equalTo(List.of(2)))
                .body("[0].result", equalTo("PASS"));
        List<ConsumerRecord<String, String>> deadLetters = kafka.read(Topics.deadLetter("health-monitor"),
                r -> deployment.equals(r.key()), 3, PATIENCE);
        assertEquals(List.of("not a CloudEvent", "{not json",
                "{\"deploymentId\":\"" + deployment + "\",\"step\":1,\"outcomes\":\"none\"}"),
                deadLetters.stream().map(ConsumerRecord::value).toList());
    }

    @Test
    void listingVerdictsNeedsADeployment() {
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/verdicts").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", is(400))
                .body("errors[0].field", equalTo("deployment"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/verdicts/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static Response verdicts(String deployment) {
        return given().auth().oauth2(TestTokens.admin()).queryParam("deployment", deployment).get("/api/v1/verdicts").then().statusCode(200)
                .extract().response();
    }

    /** The deployment's verdicts, once there are at least {@code count}. */
    private static Response awaitVerdicts(String deployment, int count) {
        await().atMost(PATIENCE).until(() -> verdicts(deployment).path("size()"), n -> (Integer) n >= count);
        return verdicts(deployment);
    }

    /** The deployment's verdicts, once one for the given step is among them. */
    private static Response awaitVerdictFor(String deployment, int step) {
        await().atMost(PATIENCE).until(() -> verdicts(deployment).<List<Integer>>path("step"), s -> s.contains(step));
        return verdicts(deployment);
    }

    private static void publishStep(String eventId, String type, String deployment, int step,
            InstanceOutcome... outcomes) {
        try {
            kafka.publishEvent(Topics.INSTANCES, eventId, type, deployment,
                    JSON.writeValueAsString(new InstancesChanged(deployment, step, List.of(outcomes))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
