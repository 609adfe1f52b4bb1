package dev.stagecraft.release;

import dev.stagecraft.devinfra.TestTokens;
import static dev.stagecraft.release.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** AWAITING_APPROVAL until someone other than the requester approves; a rejection ends it. */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class ApprovalFlowTest {

    /** Idempotent PUTs; in @BeforeEach because REST Assured knows the test port only once the app runs. */
    @BeforeEach
    void environment() {
        Api.environment("approval-prod", "{\"order\":40,\"requiresApproval\":true}");
    }

    @Test
    void waitsForAnotherUsersApprovalBeforeTheSagaStarts() {
        Api.release("payroll", "1.0.0", "[]");
        String id = Api.deploy("alice", "payroll", "1.0.0", "approval-prod", "AWAITING_APPROVAL");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then()
                .body("gates.name", contains("release", "environment", "promotion", "migrations", "window", "approval",
                        "concurrency"))
                .body("gates.find { it.name == 'approval' }.pending", equalTo(true))
                .body("gates.find { it.name == 'approval' }.passed", equalTo(false))
                .body("timeline[0].message", containsString("waiting for approval"));
        assertEquals(0, Api.requestedEvents(id, Duration.ofMillis(1500)).size(), "nothing published before approval");

        // separation of duties: the requester cannot approve
        as("alice").body("{\"comment\":\"looks fine to me\"}").post("/api/v1/deployments/" + id + "/approve").then()
                .statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("separation of duties")).body("errors.field", hasItem("approver"));

        as("bob").body("{\"comment\":\"change ticket CHG-42\"}").post("/api/v1/deployments/" + id + "/approve").then()
                .statusCode(202).body("status", equalTo("REQUESTED"))
                .body("approvals[0].decision", equalTo("APPROVED")).body("approvals[0].by", equalTo("bob"))
                .body("approvals[0].comment", equalTo("change ticket CHG-42"))
                .body("gates.find { it.name == 'approval' }.passed", equalTo(true))
                .body("gates.find { it.name == 'approval' }.reason", equalTo("approved by bob: change ticket CHG-42"));
        var requested = Api.awaitRecord(Topics.DEPLOYMENTS, id, EventTypes.DEPLOYMENT_REQUESTED);
        assertThat(requested.value(), containsString("\"requestedBy\":\"alice\""));

        // approving twice, or rejecting what is no longer waiting, is a conflict
        as("carol").post("/api/v1/deployments/" + id + "/approve").then().statusCode(409)
                .body("errors.field", hasItem("status"));
        as("carol").body("{\"reason\":\"too late\"}").post("/api/v1/deployments/" + id + "/reject").then()
                .statusCode(409);
        assertEquals(1, Api.requestedEvents(id, Duration.ofMillis(500)).size());

        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=" + id).then().statusCode(200)
                .body("action", contains("deployment.approved", "deployment.requested"))
                .body("[0].actor", equalTo("bob")).body("[0].details.comment", equalTo("change ticket CHG-42"))
                .body("[1].actor", equalTo("alice"));
    }

    @Test
    void aRejectionEndsTheDeploymentAndFreesTheSlot() {
        Api.release("ledger", "2.0.0", "[]");
        String id = Api.deploy("carol", "ledger", "2.0.0", "approval-prod", "AWAITING_APPROVAL");
        as("dave").post("/api/v1/deployments/" + id + "/reject").then().statusCode(400)
                .body("errors.field", hasItem("reason"));
        as("dave").body("{\"reason\":\"no change ticket\"}").post("/api/v1/deployments/" + id + "/reject").then()
                .statusCode(200).body("status", equalTo("REJECTED")).body("finishedAt", startsWith("20"))
                .body("reasons", contains("rejected by dave: no change ticket"))
                .body("approvals[0].decision", equalTo("REJECTED")).body("approvals[0].comment", equalTo("no change ticket"))
                .body("gates.find { it.name == 'approval' }.passed", equalTo(false))
                .body("gates.find { it.name == 'approval' }.pending", equalTo(false))
                .body("waitingFor", nullValue());
        as("erin").post("/api/v1/deployments/" + id + "/approve").then().statusCode(409);
        assertEquals(0, Api.requestedEvents(id, Duration.ofMillis(1000)).size());
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=" + id + "&actor=dave").then()
                .body("action", contains("deployment.rejected")).body("[0].details.reason", equalTo("no change ticket"));

        // the rejected one no longer holds the environment: the next request is accepted
        Api.deploy("carol", "ledger", "2.0.0", "approval-prod", "AWAITING_APPROVAL");
    }

    @Test
    void approvalsOfUnknownOrRunningDeploymentsAreRefused() {
        as("bob").post("/api/v1/deployments/nope/approve").then().statusCode(404);
        Api.release("tally", "1.0.0", "[]");
        String id = Api.deploy("alice", "tally", "1.0.0", "staging", "REQUESTED");
        as("bob").post("/api/v1/deployments/" + id + "/approve").then().statusCode(409)
                .body("detail", containsString("not AWAITING_APPROVAL"));
        as("bob").body("{\"comment\":").post("/api/v1/deployments/" + id + "/approve").then().statusCode(400)
                .contentType("application/problem+json");
        as("bob").post("/api/v1/deployments/" + id + "/promote").then().statusCode(409)
                .body("errors.field", hasItem("strategy.type")).body("errors.field", hasItem("status"));
    }
}
