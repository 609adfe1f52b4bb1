package dev.stagecraft.release;

import static dev.stagecraft.release.Api.as;
import static dev.stagecraft.release.Commands.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import dev.stagecraft.release.domain.LifecycleFacts;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What happens before a saga starts is published too, so that CI can follow a deployment that waits
 * for approval, waits for the slot, or ends without reaching rollout-service; release-service itself
 * does not apply these facts a second time.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class LifecycleFactsTest {

    @BeforeEach
    void environments() {
        Api.environment("facts-gated", "{\"order\":61,\"requiresApproval\":true}");
        Api.environment("facts-queue", "{\"order\":62,\"concurrency\":\"queue\"}");
        Api.environment("facts-supersede", "{\"order\":63,\"concurrency\":\"supersede\"}");
    }

    /** The one fact of {@code type} about deployment {@code id}, as a JSON payload. */
    static JsonNode fact(String id, String type) {
        ConsumerRecord<String, String> record = Api.awaitRecord(Topics.DEPLOYMENTS, id, type);
        assertEquals(id, record.key());
        assertEquals("/stagecraft/release-service", Commands.header(record, "ce_source"));
        JsonNode fact = json(record);
        assertEquals(id, fact.path("deploymentId").asText());
        return fact;
    }

    @Test
    void waitingForApprovalAndBeingRejectedArePublished() throws InterruptedException {
        Api.release("facts-app", "1.0.0", "[]");
        String id = Api.deploy("alice", "facts-app", "1.0.0", "facts-gated", "AWAITING_APPROVAL");
        JsonNode waiting = fact(id, EventTypes.DEPLOYMENT_AWAITING_APPROVAL);
        assertEquals("AWAITING_APPROVAL", waiting.path("status").asText());
        assertEquals("facts-gated", waiting.path("environment").asText());
        assertThat(waiting.path("message").asText(), containsString("waiting for approval"));

        as("bob").body("{\"reason\":\"no change ticket\"}").post("/api/v1/deployments/" + id + "/reject").then()
                .statusCode(200);
        JsonNode rejected = fact(id, EventTypes.DEPLOYMENT_REJECTED);
        assertEquals("REJECTED", rejected.path("status").asText());
        assertEquals("rejected by bob: no change ticket", rejected.path("message").asText());
        notReapplied(id);
    }

    @Test
    void waitingForTheSlotAndBeingWithdrawnArePublished() throws InterruptedException {
        Api.release("facts-q", "1.0.0", "[]");
        Api.release("facts-q", "1.1.0", "[]");
        String first = Api.deploy("alice", "facts-q", "1.0.0", "facts-queue", "REQUESTED");
        String second = Api.deploy("bob", "facts-q", "1.1.0", "facts-queue", "REQUESTED");
        JsonNode queued = fact(second, EventTypes.DEPLOYMENT_QUEUED);
        assertEquals("REQUESTED", queued.path("status").asText());
        assertThat(queued.path("message").asText(), containsString("queued behind deployment " + first));

        as("bob").body("{\"reason\":\"not needed\"}").post("/api/v1/deployments/" + second + "/abort").then()
                .statusCode(202).body("status", equalTo("ABORTED"));
        JsonNode withdrawn = fact(second, EventTypes.DEPLOYMENT_WITHDRAWN);
        assertEquals("ABORTED", withdrawn.path("status").asText());
        assertThat(withdrawn.path("message").asText(), containsString("not needed"));
        notReapplied(second);
    }

    @Test
    void aDeploymentSupersededBeforeItStartedIsWithdrawn() {
        Api.release("facts-s", "1.0.0", "[]");
        Api.release("facts-s", "1.1.0", "[]");
        Api.release("facts-s", "1.2.0", "[]");
        Api.deploy("alice", "facts-s", "1.0.0", "facts-supersede", "REQUESTED");
        String waiting = Api.deploy("bob", "facts-s", "1.1.0", "facts-supersede", "REQUESTED");
        String newest = Api.deploy("carol", "facts-s", "1.2.0", "facts-supersede", "REQUESTED");
        assertThat(fact(waiting, EventTypes.DEPLOYMENT_QUEUED).path("message").asText(), containsString("supersedes"));
        JsonNode withdrawn = fact(waiting, EventTypes.DEPLOYMENT_WITHDRAWN);
        assertEquals("ABORTED", withdrawn.path("status").asText());
        assertEquals("superseded by deployment " + newest + " before it started", withdrawn.path("message").asText());
    }

    @Test
    void anApprovedDeploymentThatStillWaitsForTheSlotIsPublishedAsQueued() {
        Api.environment("facts-gated-queue", "{\"order\":64,\"requiresApproval\":true,\"concurrency\":\"queue\"}");
        Api.release("facts-gq", "1.0.0", "[]");
        Api.release("facts-gq", "1.1.0", "[]");
        String first = Api.deploy("alice", "facts-gq", "1.0.0", "facts-gated-queue", "AWAITING_APPROVAL");
        String second = Api.deploy("bob", "facts-gq", "1.1.0", "facts-gated-queue", "AWAITING_APPROVAL");
        as("carol").post("/api/v1/deployments/" + second + "/approve").then().statusCode(202);
        JsonNode queued = fact(second, EventTypes.DEPLOYMENT_QUEUED);
        assertEquals("REQUESTED", queued.path("status").asText());
        assertThat(queued.path("message").asText(), containsString("still queued behind deployment " + first));
    }

    /**
     * The facts reach release-service's own lifecycle consumer too, which must skip them (see
     * OwnFactsAreSkippedTest): after a while the timeline has no second line for any of them.
     */
    static void notReapplied(String id) throws InterruptedException {
        Thread.sleep(1500);
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then()
                .body("timeline.message", everyItem(not(containsString("not applied"))))
                .body("timeline.event", everyItem(not(org.hamcrest.Matchers.in(LifecycleFacts.TYPES))));
    }
}
