package dev.stagecraft.release;

import static dev.stagecraft.release.Commands.json;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * CI over Kafka: commands on stagecraft.commands, outcomes on stagecraft.deployments, with the REST
 * API's tokens and role rules, applied once per idempotency key.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class CommandsOverKafkaTest {
    static final String CI = TestTokens.token("ci-bot", "deployer:staging");

    @BeforeEach
    void environments() {
        Api.environment("cmd-gated", "{\"order\":60,\"requiresApproval\":true}");
    }

    static String key() {
        return "ci-" + UUID.randomUUID();
    }

    static String deployData(String service, String version, String environment) {
        return Api.deployBody(service, version, environment);
    }

    @Test
    void aReleaseAndADeploymentRequestedOverKafkaAreAcceptedAndTheSagaIsAskedToStart() {
        String releaseKey = key();
        String releaseCommand = Commands.send(EventTypes.COMMAND_CREATE_RELEASE, releaseKey,
                Commands.releaseData("ci-shop", "1.0.0"), CI);
        ConsumerRecord<String, String> created = Commands.outcome(releaseKey);
        assertEquals(EventTypes.COMMAND_ACCEPTED, Commands.type(created), created.value());
        assertEquals(releaseKey, created.key(), "no deployment yet: keyed by the idempotency key");
        JsonNode outcome = json(created);
        assertEquals(releaseCommand, outcome.path("commandId").asText());
        assertEquals(EventTypes.COMMAND_CREATE_RELEASE, outcome.path("commandType").asText());
        assertTrue(outcome.path("deploymentId").isNull());
        assertThat(outcome.path("detail").asText(), containsString("release ci-shop 1.0.0 created by ci-bot"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/releases/ci-shop/1.0.0").then().statusCode(200);
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=ci-shop/1.0.0").then()
                .body("[0].action", equalTo("release.created")).body("[0].actor", equalTo("ci-bot"));

        String deployKey = key();
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, deployKey, deployData("ci-shop", "1.0.0", "staging"), CI);
        ConsumerRecord<String, String> requested = Commands.outcome(deployKey);
        assertEquals(EventTypes.COMMAND_ACCEPTED, Commands.type(requested), requested.value());
        String id = json(requested).path("deploymentId").asText();
        assertEquals(id, requested.key(), "keyed by the deployment, in order with its lifecycle");
        assertThat(json(requested).path("detail").asText(), containsString("REQUESTED"));
        ConsumerRecord<String, String> start = Api.awaitRecord(Topics.DEPLOYMENTS, id, EventTypes.DEPLOYMENT_REQUESTED);
        assertThat(start.value(), containsString("\"requestedBy\":\"ci-bot\""));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then().statusCode(200)
                .body("requestedBy", equalTo("ci-bot")).body("status", equalTo("REQUESTED"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=" + id).then()
                .body("[0].action", equalTo("deployment.requested")).body("[0].actor", equalTo("ci-bot"));
    }

    @Test
    void aCommandRepeatedUnderItsIdempotencyKeyActsOnceAndIsAnsweredAgain() {
        String releaseKey = key();
        String data = Commands.releaseData("ci-once", "2.0.0");
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, releaseKey, data, CI);
        String firstRelease = Commands.outcome(releaseKey).value();
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, releaseKey, data, CI); // a new ce_id, the same key

        String deployKey = key();
        String deploy = deployData("ci-once", "2.0.0", "staging");
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, deployKey, deploy, CI);
        ConsumerRecord<String, String> first = Commands.outcome(deployKey);
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, deployKey, deploy, CI);

        List<ConsumerRecord<String, String>> releaseAnswers = Commands.outcomes(releaseKey, Duration.ofSeconds(3));
        assertEquals(2, releaseAnswers.size(), "each command answered");
        assertEquals(firstRelease, releaseAnswers.get(1).value(), "the same outcome again, not a 409");
        List<ConsumerRecord<String, String>> deployAnswers = Commands.outcomes(deployKey, Duration.ofSeconds(1));
        assertEquals(2, deployAnswers.size());
        assertEquals(first.value(), deployAnswers.get(1).value());
        assertEquals(first.key(), deployAnswers.get(1).key());

        given().auth().oauth2(TestTokens.admin()).get("/api/v1/releases?service=ci-once").then().body("$", hasSize(1));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments?service=ci-once").then().body("$", hasSize(1));
        String id = json(first).path("deploymentId").asText();
        assertEquals(1, Api.requestedEvents(id, Duration.ofMillis(500)).size(), "the saga is asked once");

        // another user's command under the same key is not answered with this outcome, nor applied
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, deployKey, deploy,
                TestTokens.token("someone-else", "deployer"));
        List<ConsumerRecord<String, String>> answers = Commands.outcomes(deployKey, Duration.ofSeconds(3));
        assertEquals(3, answers.size());
        // the refusal may be keyed differently from the deployment's answers, so it can sit on another
        // partition: find it by content, not by its place in the list
        List<JsonNode> refused = answers.stream().map(Commands::json).filter(a -> !a.path("accepted").asBoolean())
                .toList();
        assertEquals(1, refused.size(), answers.toString());
        JsonNode clash = refused.get(0);
        assertThat(clash.path("errors").get(0).path("message").asText(), containsString("another user"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments?service=ci-once").then().body("$", hasSize(1));
    }

    @Test
    void anotherUserApprovesOverKafkaButTheRequesterCannot() {
        Api.release("ci-gated", "1.0.0", "[]");
        String alice = TestTokens.token("ci-alice", "deployer", "approver");
        String requestKey = key();
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, requestKey, deployData("ci-gated", "1.0.0", "cmd-gated"),
                alice);
        JsonNode requested = json(Commands.outcome(requestKey));
        assertTrue(requested.path("accepted").asBoolean(), requested.toString());
        assertThat(requested.path("detail").asText(), containsString("AWAITING_APPROVAL"));
        String id = requested.path("deploymentId").asText();
        JsonNode waiting = json(Api.awaitRecord(Topics.DEPLOYMENTS, id, EventTypes.DEPLOYMENT_AWAITING_APPROVAL));
        assertEquals("AWAITING_APPROVAL", waiting.path("status").asText());

        String selfKey = key();
        Commands.send(EventTypes.COMMAND_APPROVE_DEPLOYMENT, selfKey,
                "{\"deploymentId\":\"" + id + "\",\"comment\":\"my own\"}", alice);
        ConsumerRecord<String, String> self = Commands.outcome(selfKey);
        assertEquals(EventTypes.COMMAND_REJECTED, Commands.type(self));
        assertEquals(id, self.key(), "a rejection that names a deployment is keyed by it");
        assertThat(json(self).path("detail").asText(), startsWith("forbidden: separation of duties"));

        String approveKey = key();
        Commands.send(EventTypes.COMMAND_APPROVE_DEPLOYMENT, approveKey,
                "{\"deploymentId\":\"" + id + "\",\"comment\":\"CHG-7\"}", TestTokens.token("ci-bob", "approver"));
        ConsumerRecord<String, String> approved = Commands.outcome(approveKey);
        assertEquals(EventTypes.COMMAND_ACCEPTED, Commands.type(approved), approved.value());
        assertEquals(id, json(approved).path("deploymentId").asText());
        Api.awaitRecord(Topics.DEPLOYMENTS, id, EventTypes.DEPLOYMENT_REQUESTED);
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then()
                .body("status", equalTo("REQUESTED")).body("requestedBy", equalTo("ci-alice"))
                .body("approvals[0].by", equalTo("ci-bob")).body("approvals[0].comment", equalTo("CHG-7"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=" + id).then()
                .body("[0].action", equalTo("deployment.approved")).body("[0].actor", equalTo("ci-bob"));
    }

    @Test
    void missingExpiredOrForgedTokensAreUnauthorisedAndChangeNothing() {
        String data = Commands.releaseData("ci-nobody", "1.0.0");
        String none = key();
        String expired = key();
        String forged = key();
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, none, data, null);
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, expired, data, TestTokens.expired("ci-bot", "admin"));
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, forged, data, TestTokens.forged("ci-bot", "admin"));
        for (String[] expected : new String[][] { { none, "no token" }, { expired, "token expired" },
                { forged, "signature" } }) {
            ConsumerRecord<String, String> answer = Commands.outcome(expected[0]);
            JsonNode outcome = json(answer);
            assertEquals(EventTypes.COMMAND_REJECTED, Commands.type(answer));
            assertThat(outcome.path("detail").asText(), startsWith("unauthorised: "));
            assertEquals("authorization", outcome.path("errors").get(0).path("field").asText());
            assertThat(outcome.path("errors").get(0).path("message").asText(), containsString(expected[1]));
            assertThat(outcome.path("errors").get(0).path("message").asText(), startsWith("unauthorised: "));
        }
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/releases?service=ci-nobody").then().body("$", hasSize(0));

        // nothing was recorded under those keys: the same command with a valid token now works
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, expired, data, CI);
        assertTrue(Commands.outcomes(expired, Duration.ofSeconds(3)).stream()
                .anyMatch(r -> EventTypes.COMMAND_ACCEPTED.equals(Commands.type(r))));
    }

    @Test
    void aDeployerOfStagingCannotReachProduction() {
        Api.release("ci-scoped", "1.0.0", "[]");
        String scopedKey = key();
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, scopedKey, deployData("ci-scoped", "1.0.0", "production"),
                CI);
        JsonNode refused = json(Commands.outcome(scopedKey));
        assertFalse(refused.path("accepted").asBoolean());
        assertThat(refused.path("detail").asText(), startsWith("forbidden: "));
        assertEquals("role", refused.path("errors").get(0).path("field").asText());
        assertThat(refused.path("errors").get(0).path("message").asText(),
                startsWith("forbidden: needs deployer or deployer:production"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments?service=ci-scoped").then().body("$", hasSize(0));

        // and gate refusals travel like the REST API's 409, naming every failed gate
        String gateKey = key();
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, gateKey, deployData("ci-scoped", "1.0.0", "production"),
                TestTokens.token("ci-admin", "admin"));
        JsonNode gated = json(Commands.outcome(gateKey));
        assertThat(gated.path("detail").asText(), startsWith("conflict: "));
        assertThat(gated.path("errors").findValuesAsText("field"), hasItem("gate.promotion"));
        assertNotNull(gated.path("at").asText(null));
    }
}
