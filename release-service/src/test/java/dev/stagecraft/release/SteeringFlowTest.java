package dev.stagecraft.release;

import static dev.stagecraft.release.Api.as;
import static dev.stagecraft.release.Commands.json;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Pause, resume and promote: each published on stagecraft.rollbacks as an OperatorRequest of its own type
 * (through the outbox), recorded on the timeline and in the audit log, and refused with 409 when the
 * strategy or the status does not allow it. rollout-service is played on the broker: its
 * {@code deployment.paused} and {@code .resumed} move the status, and a PAUSED deployment keeps its slot.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class SteeringFlowTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    static String canaryBody(String service, String version, String environment) {
        return """
                {"service":"%s","version":"%s","environment":"%s","strategy":{"type":"canary",
                 "steps":[{"weight":10},{"weight":50,"analysis":"1m","pause":true},{"weight":100}]}}
                """.formatted(service, version, environment);
    }

    static String startedCanary(String user, String service, String version, String environment) {
        String id = as(user).body(canaryBody(service, version, environment)).post("/api/v1/deployments")
                .then().statusCode(202).body("status", equalTo("REQUESTED")).extract().path("id");
        Api.lifecycle(id, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "canary pool provisioned");
        awaitStatus(id, "IN_PROGRESS");
        return id;
    }

    static void awaitStatus(String id, String status) {
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.admin())
                .get("/api/v1/deployments/" + id).then().body("status", equalTo(status)));
    }

    /** The operator request of {@code type} for {@code id} whose reason is {@code reason}. */
    static JsonNode request(String id, String type, String reason) {
        ConsumerRecord<String, String> record = Api.kafka().await(Topics.ROLLBACKS, r -> id.equals(r.key())
                && type.equals(CloudEventsTestClient.header(r, "ce_type"))
                && reason.equals(json(r).path("reason").asText()), WAIT);
        return json(record);
    }

    @Test
    void aCanaryIsPausedPromotedAndResumed() {
        Api.release("steer-shop", "1.0.0", "[]");
        String id = startedCanary("alice", "steer-shop", "1.0.0", "staging");

        as("bob").post("/api/v1/deployments/" + id + "/resume").then().statusCode(409)
                .contentType("application/problem+json").body("errors.field", equalTo(java.util.List.of("status")))
                .body("detail", containsString("it is not paused"));

        as("bob").body("{\"reason\":\"watch the dashboards\"}").post("/api/v1/deployments/" + id + "/pause")
                .then().statusCode(202).body("id", equalTo(id)).body("status", equalTo("IN_PROGRESS"));
        JsonNode pause = request(id, EventTypes.PAUSE_REQUESTED, "watch the dashboards");
        assertEquals("bob", pause.path("requestedBy").asText());
        assertEquals(id, pause.path("deploymentId").asText());
        assertEquals(false, pause.path("full").asBoolean());

        Api.lifecycle(id, EventTypes.DEPLOYMENT_PAUSED, "PAUSED", "held at 10% by bob");
        awaitStatus(id, "PAUSED");
        as("bob").post("/api/v1/deployments/" + id + "/pause").then().statusCode(409)
                .body("detail", containsString("paused already"));

        // while paused it still holds the slot: the environment rejects a second deployment of the service
        as("carol").body(canaryBody("steer-shop", "1.0.0", "staging")).post("/api/v1/deployments").then()
                .statusCode(409).body("errors.field", hasItem("gate.concurrency"))
                .body("errors.message", hasItem(containsString(id)));

        // promote: the next step by default, all the way with {"full": true} or ?full=true
        as("bob").body("{\"reason\":\"step\"}").post("/api/v1/deployments/" + id + "/promote").then().statusCode(202);
        assertEquals(false, request(id, EventTypes.PROMOTE_REQUESTED, "step").path("full").asBoolean());
        as("bob").body("{\"reason\":\"ship it\",\"full\":true}").post("/api/v1/deployments/" + id + "/promote")
                .then().statusCode(202).body("status", equalTo("PAUSED"));
        assertEquals(true, request(id, EventTypes.PROMOTE_REQUESTED, "ship it").path("full").asBoolean());
        given().auth().oauth2(TestTokens.token("dora", "deployer:staging"))
                .post("/api/v1/deployments/" + id + "/promote?full=true").then().statusCode(202);
        JsonNode byQuery = json(Api.kafka().await(Topics.ROLLBACKS, r -> id.equals(r.key())
                && "dora".equals(json(r).path("requestedBy").asText()), WAIT));
        assertEquals(true, byQuery.path("full").asBoolean());
        assertEquals("no reason given", byQuery.path("reason").asText());
        as("bob").post("/api/v1/deployments/" + id + "/promote?full=yes").then().statusCode(400)
                .body("errors.field", hasItem("full"));
        as("bob").body("{\"full\":false}").post("/api/v1/deployments/" + id + "/promote?full=true").then()
                .statusCode(400).body("errors.field", hasItem("full"));
        as("bob").body("{\"full\":\"always\"}").post("/api/v1/deployments/" + id + "/promote").then()
                .statusCode(400).body("errors.field", hasItem("full"));

        as("bob").body("{\"reason\":\"numbers look fine\"}").post("/api/v1/deployments/" + id + "/resume").then()
                .statusCode(202);
        request(id, EventTypes.RESUME_REQUESTED, "numbers look fine");
        Api.lifecycle(id, EventTypes.DEPLOYMENT_RESUMED, "IN_PROGRESS", "going on from 10%");
        awaitStatus(id, "IN_PROGRESS");

        // the timeline shows each request and what the saga did
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then()
                .body("timeline.event", hasItems(EventTypes.PAUSE_REQUESTED, EventTypes.DEPLOYMENT_PAUSED,
                        EventTypes.PROMOTE_REQUESTED, EventTypes.RESUME_REQUESTED, EventTypes.DEPLOYMENT_RESUMED))
                .body("timeline.message", hasItems("pause requested by bob: watch the dashboards",
                        "promotion to the next step requested by bob: step",
                        "full promotion (every remaining step and analysis skipped) requested by bob: ship it",
                        "resume requested by bob: numbers look fine", "held at 10% by bob"))
                .body("timeline.message", not(hasItem(containsString("not applied"))));
        // and the audit log who asked, and why
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=" + id).then().statusCode(200)
                .body("action", hasItems("deployment.pause-requested", "deployment.promote-requested",
                        "deployment.resume-requested"))
                .body("find { it.action == 'deployment.pause-requested' }.actor", equalTo("bob"))
                .body("find { it.action == 'deployment.pause-requested' }.details.reason",
                        equalTo("watch the dashboards"))
                .body("find { it.details.reason == 'ship it' }.details.full", equalTo(true));

        Api.lifecycle(id, EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "canary promoted to 100%");
        awaitStatus(id, "SUCCEEDED");
        for (String action : new String[] { "pause", "resume", "promote" }) {
            as("bob").post("/api/v1/deployments/" + id + "/" + action).then().statusCode(409)
                    .body("errors.field", equalTo(java.util.List.of("status")))
                    .body("errors.message", hasItem(containsString("it has finished")));
        }
    }

    @Test
    void aPausedDeploymentCanEndEveryWay() {
        Api.release("steer-ends", "1.0.0", "[]");
        String rolledBack = startedCanary("alice", "steer-ends", "1.0.0", "development");
        Api.lifecycle(rolledBack, EventTypes.DEPLOYMENT_PAUSED, "PAUSED", "inconclusive: too little traffic");
        awaitStatus(rolledBack, "PAUSED");
        as("bob").body("{\"reason\":\"not worth it\"}").post("/api/v1/deployments/" + rolledBack + "/rollback")
                .then().statusCode(202);
        Api.awaitRecord(Topics.ROLLBACKS, rolledBack, EventTypes.ROLLBACK_REQUESTED);
        Api.lifecycle(rolledBack, EventTypes.DEPLOYMENT_ROLLED_BACK, "ROLLED_BACK", "canary weight 0, decommissioned");
        awaitStatus(rolledBack, "ROLLED_BACK");

        // the slot is free again; a paused blue-green promoted all the way ends SUCCEEDED from PAUSED
        String blueGreen = as("alice").body("""
                {"service":"steer-ends","version":"1.0.0","environment":"development",
                 "strategy":{"type":"blue-green","autoPromote":false,"prePromotionAnalysis":"30s"}}
                """).post("/api/v1/deployments").then().statusCode(202)
                .body("strategy.syntheticRequests", equalTo(200)).body("strategy.scaleDownDelay", equalTo("30s"))
                .extract().path("id");
        Api.lifecycle(blueGreen, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "green provisioned");
        Api.lifecycle(blueGreen, EventTypes.DEPLOYMENT_PAUSED, "PAUSED", "waiting for a promote");
        awaitStatus(blueGreen, "PAUSED");
        as("bob").body("{\"full\":true}").post("/api/v1/deployments/" + blueGreen + "/promote").then().statusCode(202);
        Api.lifecycle(blueGreen, EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "switched to green");
        awaitStatus(blueGreen, "SUCCEEDED");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + blueGreen).then()
                .body("timeline.event", hasItem(EventTypes.PROMOTE_REQUESTED))
                .body("timeline.message", hasItem("full promotion (every remaining step and analysis skipped)"
                        + " requested by bob: no reason given"));
    }

    @Test
    void aPausedDeploymentIsSupersededLikeARunningOne() {
        Api.environment("steer-supersede", "{\"order\":64,\"concurrency\":\"supersede\"}");
        Api.release("steer-super", "1.0.0", "[]");
        Api.release("steer-super", "1.1.0", "[]");
        String paused = startedCanary("alice", "steer-super", "1.0.0", "steer-supersede");
        Api.lifecycle(paused, EventTypes.DEPLOYMENT_PAUSED, "PAUSED", "held");
        awaitStatus(paused, "PAUSED");
        String newer = as("bob").body(canaryBody("steer-super", "1.1.0", "steer-supersede"))
                .post("/api/v1/deployments").then().statusCode(202).body("waitingFor", equalTo(paused))
                .extract().path("id");
        var rollback = Api.awaitRecord(Topics.ROLLBACKS, paused, EventTypes.ROLLBACK_REQUESTED);
        org.junit.jupiter.api.Assertions.assertTrue(rollback.value().contains(newer), rollback.value());
    }

    @Test
    void onlyCanaryAndBlueGreenDeploymentsThatRunCanBeSteered() {
        Api.release("steer-rolling", "1.0.0", "[]");
        String rolling = Api.deploy("alice", "steer-rolling", "1.0.0", "staging", "REQUESTED");
        // not started yet: both reasons are named
        as("bob").post("/api/v1/deployments/" + rolling + "/pause").then().statusCode(409)
                .body("errors.field", equalTo(java.util.List.of("strategy.type", "status")))
                .body("errors.message", hasItem(containsString("saga has not started")));
        Api.lifecycle(rolling, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "batch 1");
        awaitStatus(rolling, "IN_PROGRESS");
        for (String action : new String[] { "pause", "resume", "promote" }) {
            as("bob").post("/api/v1/deployments/" + rolling + "/" + action).then().statusCode(409)
                    .body("errors.field", hasItem("strategy.type"))
                    .body("detail", containsString("only canary and blue-green"));
        }

        Api.environment("steer-gated", "{\"order\":65,\"requiresApproval\":true}");
        String awaiting = as("alice").body(canaryBody("steer-rolling", "1.0.0", "steer-gated"))
                .post("/api/v1/deployments").then().statusCode(202).body("status", equalTo("AWAITING_APPROVAL"))
                .extract().path("id");
        as("bob").post("/api/v1/deployments/" + awaiting + "/promote").then().statusCode(409)
                .body("errors.field", equalTo(java.util.List.of("status")))
                .body("errors.message", hasItem(containsString("awaits approval")));
        as("bob").post("/api/v1/deployments/" + java.util.UUID.randomUUID() + "/pause").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.token("vic", "viewer")).post("/api/v1/deployments/" + awaiting + "/pause")
                .then().statusCode(403);
        // nothing of this reached the saga
        assertEquals(0, Api.kafka().readAll(Topics.ROLLBACKS, Duration.ofMillis(500)).stream()
                .filter(r -> rolling.equals(r.key()) || awaiting.equals(r.key())).count());
    }
}
