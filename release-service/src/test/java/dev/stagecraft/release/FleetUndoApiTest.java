package dev.stagecraft.release;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * Undo through the API: the last stable version as a new fast rolling deployment, rights, audit, nothing to undo; and
 * while a deployment runs (blue/green keeping blue), the rollback of that deployment; and an admin's break-glass undo
 * through a freeze and an approval requirement.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class FleetUndoApiTest {
    @Inject
    TestClock clock;

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    @BeforeAll
    static void setUp() throws Exception {
        DeploymentFlowTest.setUp();
    }

    @AfterAll
    static void tearDown() {
        DeploymentFlowTest.tearDown();
    }

    static void succeed(String id) {
        DeploymentFlowTest.lifecycle(id, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started", "undo-s-" + id);
        DeploymentFlowTest.lifecycle(id, EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "done", "undo-d-" + id);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(TestTokens.admin())
                .get("/api/v1/deployments/" + id).then().body("status", equalTo("SUCCEEDED")));
    }

    @Test
    void undoRedeploysTheVersionBeforeTheCurrentOne() {
        DeploymentFlowTest.release("undo", "1.0.0");
        DeploymentFlowTest.release("undo", "1.1.0");
        given().auth().oauth2(TestTokens.admin()).post("/api/v1/fleets/undo/development/undo").then().statusCode(409)
                .body("errors.field", hasItem("toVersion"));
        succeed(DeploymentFlowTest.deploy("undo", "1.0.0", "development"));
        succeed(DeploymentFlowTest.deploy("undo", "1.1.0", "development"));

        given().auth().oauth2(TestTokens.token("eve", "deployer:staging")).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/fleets/undo/development/undo").then().statusCode(403);
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"toVersoin\":\"1.0.0\"}")
                .post("/api/v1/fleets/undo/development/undo").then().statusCode(400).body("errors.field", hasItem("toVersoin"));

        String id = given().auth().oauth2(TestTokens.token("dora", "deployer:development")).contentType(ContentType.JSON)
                .body("{\"reason\":\"errors after 1.1.0\"}").post("/api/v1/fleets/undo/development/undo").then()
                .statusCode(202).body("undo", equalTo("redeploy")).body("version", equalTo("1.0.0"))
                .body("strategy.type", equalTo("rolling"))
                .body("strategy.maxUnavailable", equalTo("50%")).extract().path("id");
        given().auth().oauth2(TestTokens.admin()).queryParam("subject", id).get("/api/v1/audit").then().statusCode(200)
                .body("action", hasItem("fleet.undo")).body("details.reason", hasItem("errors after 1.1.0"));
    }

    @Test
    void undoWhileADeploymentRunsIsItsRollback() {
        DeploymentFlowTest.release("undo-bg", "1.0.0");
        DeploymentFlowTest.release("undo-bg", "2.0.0");
        succeed(DeploymentFlowTest.deploy("undo-bg", "1.0.0", "development"));
        String green = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"undo-bg","version":"2.0.0","environment":"development",
                 "strategy":{"type":"blue-green","scaleDownDelay":"10m"}}""").post("/api/v1/deployments")
                .then().statusCode(202).extract().path("id");
        // the switch to green is done and blue is kept for scaleDownDelay: the saga says IN_PROGRESS
        DeploymentFlowTest.lifecycle(green, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started", "bg-s-" + green);
        DeploymentFlowTest.lifecycle(green, EventTypes.DEPLOYMENT_PROGRESSED, "IN_PROGRESS", "keeping blue for 10m",
                "bg-p-" + green);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(TestTokens.admin())
                .get("/api/v1/deployments/" + green).then().body("status", equalTo("IN_PROGRESS")));

        given().auth().oauth2(TestTokens.token("dora", "deployer:development")).contentType(ContentType.JSON)
                .body("{\"reason\":\"checkout broken\"}").post("/api/v1/fleets/undo-bg/development/undo").then()
                .statusCode(202).body("id", equalTo(green)).body("undo", equalTo("rollback"))
                .body("version", equalTo("2.0.0"));
        var request = DeploymentFlowTest.kafka.await(dev.stagecraft.contracts.Topics.ROLLBACKS, r -> green.equals(r.key())
                && EventTypes.ROLLBACK_REQUESTED.equals(dev.stagecraft.devinfra.CloudEventsTestClient.header(r, "ce_type")),
                Duration.ofSeconds(20));
        org.hamcrest.MatcherAssert.assertThat(request.value(), org.hamcrest.Matchers.containsString("undo: checkout broken"));
        given().auth().oauth2(TestTokens.admin()).queryParam("subject", green).get("/api/v1/audit").then().statusCode(200)
                .body("action", hasItem("fleet.undo")).body("details.mode", hasItem("rollback"));
    }

    /**
     * A bad Friday: production frozen and requiring approval. A deployer's undo is refused by the freeze and may not
     * break the glass; an admin's override needs a reason and goes back only to a version that ran there; with both,
     * the undo starts at once (no approval wait), and the gates, the timeline and the audit log keep the reason.
     */
    @Test
    void anAdminsBreakGlassUndoPassesTheFreezeAndTheApprovalWithAReason() {
        String env = "undo-frozen";
        Api.environment(env, "{\"order\":77}");
        DeploymentFlowTest.release("undo-bad-friday", "1.0.0");
        DeploymentFlowTest.release("undo-bad-friday", "1.1.0");
        DeploymentFlowTest.release("undo-bad-friday", "1.2.0");
        succeed(DeploymentFlowTest.deploy("undo-bad-friday", "1.0.0", env));
        succeed(DeploymentFlowTest.deploy("undo-bad-friday", "1.1.0", env));
        Api.environment(env, """
                {"order":77,"requiresApproval":true,"freezes":[{"from":"2026-12-20","to":"2027-01-05","reason":"year end"}]}""");
        clock.set(Instant.parse("2026-12-25T17:00:00Z"));
        String undo = "/api/v1/fleets/undo-bad-friday/" + env + "/undo";
        var dora = TestTokens.token("dora", "deployer:" + env);

        given().auth().oauth2(dora).contentType(ContentType.JSON).body("{\"reason\":\"checkout down\"}").post(undo)
                .then().statusCode(409).body("errors.field", hasItem("gate.window"))
                .body("errors.message", hasItem(startsWith(env + " is frozen until 2027-01-05 (year end)")));
        given().auth().oauth2(dora).contentType(ContentType.JSON)
                .body("{\"override\":true,\"reason\":\"checkout down\"}").post(undo)
                .then().statusCode(403).body("errors.field", hasItem("override"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"override\":true}").post(undo)
                .then().statusCode(400).body("errors.field", hasItem("reason"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"override\":\"yes\"}").post(undo)
                .then().statusCode(400).body("errors.field", hasItem("override"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body("{\"override\":true,\"reason\":\"checkout down\",\"toVersion\":\"1.2.0\"}").post(undo)
                .then().statusCode(409).body("errors.field", hasItem("toVersion"));

        String id = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body("{\"override\":true,\"reason\":\"checkout down on a Friday\"}").post(undo).then()
                .statusCode(202).body("undo", equalTo("redeploy")).body("version", equalTo("1.0.0"))
                .body("status", equalTo("REQUESTED"))
                .body("gates.find { it.name == 'window' }.reason",
                        startsWith("overridden by test-admin: checkout down on a Friday (" + env + " is frozen"))
                .body("gates.find { it.name == 'approval' }.reason",
                        startsWith("not asked: break-glass undo by test-admin: checkout down on a Friday"))
                .body("timeline[0].message", containsString("break-glass undo (deploy window and approval overridden):"
                        + " checkout down on a Friday"))
                .extract().path("id");
        given().auth().oauth2(TestTokens.admin()).queryParam("subject", id).get("/api/v1/audit").then().statusCode(200)
                .body("find { it.action == 'fleet.undo' }.overrideReason", equalTo("checkout down on a Friday"))
                .body("find { it.action == 'fleet.undo' }.details.override", equalTo(true))
                .body("find { it.action == 'deployment.requested' }.overrideReason",
                        equalTo("checkout down on a Friday"));
    }
}
