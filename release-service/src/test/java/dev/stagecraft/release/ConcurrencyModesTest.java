package dev.stagecraft.release;

import dev.stagecraft.devinfra.TestTokens;
import static dev.stagecraft.release.Api.as;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Queue and supersede, driven by the saga's lifecycle events played on the real broker. */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class ConcurrencyModesTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    /** Idempotent PUTs; in @BeforeEach because REST Assured knows the test port only once the app runs. */
    @BeforeEach
    void environments() {
        Api.environment("queue-stage", "{\"order\":50,\"concurrency\":\"queue\"}");
        Api.environment("supersede-stage",
                "{\"order\":51,\"concurrencyByService\":{\"shop-s\":\"supersede\",\"shop-t\":\"supersede\"}}");
        Api.environment("gated-supersede", "{\"order\":52,\"requiresApproval\":true,\"concurrency\":\"supersede\"}");
        Api.environment("gated-queue", "{\"order\":53,\"requiresApproval\":true,\"concurrency\":\"queue\"}");
    }

    static void awaitStatus(String id, String status) {
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then()
                .body("status", equalTo(status)));
    }

    @Test
    void aQueuedDeploymentStartsWhenTheOneBeforeItEnds() {
        for (String v : new String[] { "1.0.0", "1.1.0", "1.2.0" }) {
            Api.release("queue-app", v, "[]");
        }
        String first = Api.deploy("alice", "queue-app", "1.0.0", "queue-stage", "REQUESTED");
        Api.lifecycle(first, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started");
        awaitStatus(first, "IN_PROGRESS");

        String second = as("bob").body(Api.deployBody("queue-app", "1.1.0", "queue-stage")).post("/api/v1/deployments")
                .then().statusCode(202).body("status", equalTo("REQUESTED")).body("waitingFor", equalTo(first))
                .body("gates.find { it.name == 'concurrency' }.reason", startsWith("queued behind deployment " + first))
                .body("timeline[0].message", containsString("queued behind deployment " + first))
                .extract().path("id");
        String third = Api.deploy("carol", "queue-app", "1.2.0", "queue-stage", "REQUESTED");
        assertEquals(0, Api.requestedEvents(second, Duration.ofMillis(1500)).size(), "queued: not started yet");

        Api.lifecycle(first, EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "all good");
        awaitStatus(first, "SUCCEEDED");
        Api.awaitRecord(Topics.DEPLOYMENTS, second, EventTypes.DEPLOYMENT_REQUESTED);
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + second).then().body("waitingFor", nullValue())
                .body("timeline.message", hasItem("deployment " + first + " ended SUCCEEDED; starting now"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + third).then().body("waitingFor", equalTo(second));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=" + second + "&actor=stagecraft").then()
                .body("[0].action", equalTo("deployment.dequeued"));

        // a queued deployment can be withdrawn: it never started, so it ends at once
        as("carol").body("{\"reason\":\"not needed any more\"}").post("/api/v1/deployments/" + third + "/abort")
                .then().statusCode(202).body("status", equalTo("ABORTED")).body("waitingFor", nullValue())
                .body("reasons[0]", containsString("not needed any more"));
        Api.lifecycle(second, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started");
        Api.lifecycle(second, EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "done");
        awaitStatus(second, "SUCCEEDED");
        assertEquals(0, Api.requestedEvents(third, Duration.ofMillis(500)).size());
    }

    @Test
    void aSupersedingDeploymentHasTheRunningOneRolledBackFirst() {
        Api.release("shop-s", "1.0.0", "[]");
        Api.release("shop-s", "1.1.0", "[]");
        String running = Api.deploy("alice", "shop-s", "1.0.0", "supersede-stage", "REQUESTED");
        Api.lifecycle(running, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started");
        awaitStatus(running, "IN_PROGRESS");

        String newer = as("bob").body(Api.deployBody("shop-s", "1.1.0", "supersede-stage")).post("/api/v1/deployments")
                .then().statusCode(202).body("waitingFor", equalTo(running))
                .body("gates.find { it.name == 'concurrency' }.reason", startsWith("supersedes deployment " + running))
                .extract().path("id");
        var rollback = Api.awaitRecord(Topics.ROLLBACKS, running, EventTypes.ROLLBACK_REQUESTED);
        assertThat(rollback.value(), containsString("superseded by deployment " + newer));
        assertThat(rollback.value(), containsString("\"requestedBy\":\"bob\""));
        assertEquals(0, Api.requestedEvents(newer, Duration.ofMillis(500)).size(), "waits for the rollback");

        Api.lifecycle(running, EventTypes.DEPLOYMENT_ROLLING_BACK, "ROLLING_BACK", "rolling back");
        Api.lifecycle(running, EventTypes.DEPLOYMENT_ROLLED_BACK, "ROLLED_BACK", "rolled back");
        awaitStatus(running, "ROLLED_BACK");
        Api.awaitRecord(Topics.DEPLOYMENTS, newer, EventTypes.DEPLOYMENT_REQUESTED);
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=" + running).then()
                .body("[0].action", equalTo("deployment.rollback-requested")).body("[0].actor", equalTo("bob"))
                .body("[0].details.supersededBy", equalTo(newer));
    }

    @Test
    void aSagaThatHasNotStartedIsRolledBackAsSoonAsItStarts() {
        Api.release("shop-t", "1.0.0", "[]");
        Api.release("shop-t", "1.1.0", "[]");
        Api.release("shop-t", "1.2.0", "[]");
        String requested = Api.deploy("alice", "shop-t", "1.0.0", "supersede-stage", "REQUESTED");
        String waiting = Api.deploy("bob", "shop-t", "1.1.0", "supersede-stage", "REQUESTED");
        // the newest request wins: the one that waited is ended without ever starting
        String newest = Api.deploy("carol", "shop-t", "1.2.0", "supersede-stage", "REQUESTED");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + waiting).then().body("status", equalTo("ABORTED"))
                .body("reasons[0]", equalTo("superseded by deployment " + newest + " before it started"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + requested).then()
                .body("timeline.message", hasItem(containsString("rolled back as soon as its saga starts")));

        Api.lifecycle(requested, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started");
        var rollback = Api.awaitRecord(Topics.ROLLBACKS, requested, EventTypes.ROLLBACK_REQUESTED);
        assertThat(rollback.value(), containsString(newest));
        Api.lifecycle(requested, EventTypes.DEPLOYMENT_ROLLING_BACK, "ROLLING_BACK", "rolling back");
        Api.lifecycle(requested, EventTypes.DEPLOYMENT_ROLLED_BACK, "ROLLED_BACK", "rolled back");
        Api.awaitRecord(Topics.DEPLOYMENTS, newest, EventTypes.DEPLOYMENT_REQUESTED);
    }

    @Test
    void otherServicesKeepTheEnvironmentsRejectMode() {
        Api.release("other", "1.0.0", "[]");
        String running = Api.deploy("alice", "other", "1.0.0", "supersede-stage", "REQUESTED");
        as("bob").body(Api.deployBody("other", "1.0.0", "supersede-stage")).post("/api/v1/deployments").then()
                .statusCode(409).body("errors.field", hasItem("gate.concurrency"))
                .body("errors.message", hasItem(containsString(running + " of other 1.0.0 is REQUESTED in"
                        + " supersede-stage (concurrency: reject)")));
    }

    @Test
    void anApprovedSupersederEndsADeploymentThatWasNeverApproved() {
        Api.release("gated-app", "1.0.0", "[]");
        Api.release("gated-app", "1.1.0", "[]");
        String unapproved = Api.deploy("alice", "gated-app", "1.0.0", "gated-supersede", "AWAITING_APPROVAL");
        String newer = Api.deploy("bob", "gated-app", "1.1.0", "gated-supersede", "AWAITING_APPROVAL");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + newer).then().body("waitingFor", equalTo(unapproved))
                .body("gates.find { it.name == 'concurrency' }.reason", containsString("once this one is approved"));
        // nothing is superseded before the superseder is approved
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + unapproved).then().body("status", equalTo("AWAITING_APPROVAL"));

        as("carol").post("/api/v1/deployments/" + newer + "/approve").then().statusCode(202)
                .body("status", equalTo("REQUESTED")).body("waitingFor", nullValue());
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + unapproved).then().body("status", equalTo("ABORTED"))
                .body("reasons[0]", equalTo("superseded by deployment " + newer + " before it was approved"));
        Api.awaitRecord(Topics.DEPLOYMENTS, newer, EventTypes.DEPLOYMENT_REQUESTED);
        assertEquals(0, Api.requestedEvents(unapproved, Duration.ofMillis(500)).size());
    }

    @Test
    void anApprovedButQueuedDeploymentStartsWhenTheOneBeforeItIsRejected() {
        Api.release("gated-q", "1.0.0", "[]");
        Api.release("gated-q", "1.1.0", "[]");
        String first = Api.deploy("alice", "gated-q", "1.0.0", "gated-queue", "AWAITING_APPROVAL");
        String second = Api.deploy("bob", "gated-q", "1.1.0", "gated-queue", "AWAITING_APPROVAL");
        as("carol").body("{\"comment\":\"ok\"}").post("/api/v1/deployments/" + second + "/approve").then()
                .statusCode(202).body("status", equalTo("REQUESTED")).body("waitingFor", equalTo(first))
                .body("timeline.message", hasItem("approved by carol: ok; still queued behind deployment " + first));
        assertEquals(0, Api.requestedEvents(second, Duration.ofMillis(1000)).size());

        as("carol").body("{\"reason\":\"wrong version\"}").post("/api/v1/deployments/" + first + "/reject").then()
                .statusCode(200).body("status", equalTo("REJECTED"));
        Api.awaitRecord(Topics.DEPLOYMENTS, second, EventTypes.DEPLOYMENT_REQUESTED);
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + second).then().body("waitingFor", nullValue())
                .body("timeline.message", hasItem("deployment " + first + " ended REJECTED; starting now"));
    }

    @Test
    void simultaneousRequestsGetOneHolderAndAnOrderlyQueue() throws Exception {
        Api.release("burst", "1.0.0", "[]");
        var pool = Executors.newFixedThreadPool(6);
        try {
            Callable<Response> request = () -> as("ci")
                    .body(Api.deployBody("burst", "1.0.0", "queue-stage")).post("/api/v1/deployments");
            var answers = pool.invokeAll(Collections.nCopies(6, request));
            List<String> waitingFor = new ArrayList<>();
            for (var answer : answers) {
                var response = answer.get();
                assertEquals(202, response.statusCode(), response.asString());
                waitingFor.add(response.path("waitingFor"));
            }
            assertEquals(1, waitingFor.stream().filter(Objects::isNull).count(), waitingFor.toString());
            assertEquals(1, waitingFor.stream().filter(Objects::nonNull).distinct().count(),
                    "all five wait for the one holder: " + waitingFor);
        } finally {
            pool.shutdownNow();
        }
    }
}
