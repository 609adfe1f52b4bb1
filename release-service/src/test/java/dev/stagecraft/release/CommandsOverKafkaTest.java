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
    /** A fresh command token for each command: a command token acts once. */
    static String ci() {
        return TestTokens.command("ci-bot", "deployer:staging");
    }

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
                Commands.releaseData("ci-shop", "1.0.0"), ci());
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
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, deployKey, deployData("ci-shop", "1.0.0", "staging"), ci());
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
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, releaseKey, data, ci());
        String firstRelease = Commands.outcome(releaseKey).value();
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, releaseKey, data, ci()); // a new ce_id, the same key

        String deployKey = key();
        String deploy = deployData("ci-once", "2.0.0", "staging");
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, deployKey, deploy, ci());
        ConsumerRecord<String, String> first = Commands.outcome(deployKey);
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, deployKey, deploy, ci());

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
                TestTokens.command("someone-else", "deployer"));
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
        
        String requestKey = key();
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, requestKey, deployData("ci-gated", "1.0.0", "cmd-gated"),
                TestTokens.command("ci-alice", "deployer", "approver"));
        JsonNode requested = json(Commands.outcome(requestKey));
        assertTrue(requested.path("accepted").asBoolean(), requested.toString());
        assertThat(requested.path("detail").asText(), containsString("AWAITING_APPROVAL"));
        String id = requested.path("deploymentId").asText();
        JsonNode waiting = json(Api.awaitRecord(Topics.DEPLOYMENTS, id, EventTypes.DEPLOYMENT_AWAITING_APPROVAL));
        assertEquals("AWAITING_APPROVAL", waiting.path("status").asText());

        String selfKey = key();
        Commands.send(EventTypes.COMMAND_APPROVE_DEPLOYMENT, selfKey,
                "{\"deploymentId\":\"" + id + "\",\"comment\":\"my own\"}",
                TestTokens.command("ci-alice", "deployer", "approver"));
        ConsumerRecord<String, String> self = Commands.outcome(selfKey);
        assertEquals(EventTypes.COMMAND_REJECTED, Commands.type(self));
        assertEquals(id, self.key(), "a rejection that names a deployment is keyed by it");
        assertThat(json(self).path("detail").asText(), startsWith("forbidden: separation of duties"));

        String approveKey = key();
        Commands.send(EventTypes.COMMAND_APPROVE_DEPLOYMENT, approveKey,
                "{\"deploymentId\":\"" + id + "\",\"comment\":\"CHG-7\"}", TestTokens.command("ci-bob", "approver"));
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
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, expired, data, ci());
        assertTrue(Commands.outcomes(expired, Duration.ofSeconds(3)).stream()
                .anyMatch(r -> EventTypes.COMMAND_ACCEPTED.equals(Commands.type(r))));
    }

    @Test
    void aDeployerOfStagingCannotReachProduction() {
        Api.release("ci-scoped", "1.0.0", "[]");
        String scopedKey = key();
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, scopedKey, deployData("ci-scoped", "1.0.0", "production"),
                ci());
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
                TestTokens.command("ci-admin", "admin"));
        JsonNode gated = json(Commands.outcome(gateKey));
        assertThat(gated.path("detail").asText(), startsWith("conflict: "));
        assertThat(gated.path("errors").findValuesAsText("field"), hasItem("gate.promotion"));
        assertNotNull(gated.path("at").asText(null));
    }

    @Test
    void aCommandTokenActsOnceButTheSameRecordSentAgainGetsItsFirstAnswer() {
        String token = TestTokens.command("ci-bot", "deployer:staging");
        String firstKey = key();
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, firstKey, Commands.releaseData("ci-jti", "1.0.0"), token);
        String first = Commands.outcome(firstKey).value();
        assertTrue(Commands.json(Commands.outcome(firstKey)).path("accepted").asBoolean(), first);

        // a CI retry: the same record, the same token, the same key -> the first answer again, applied once
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, firstKey, Commands.releaseData("ci-jti", "1.0.0"), token);
        // a different command with the captured token -> refused, and nothing recorded under its key
        String replayKey = key();
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, replayKey, Commands.releaseData("ci-jti", "6.6.6"), token);

        List<ConsumerRecord<String, String>> again = Commands.outcomes(firstKey, Duration.ofSeconds(3));
        assertEquals(2, again.size());
        assertEquals(first, again.get(1).value(), "the retry gets the first answer");
        JsonNode reused = json(Commands.outcome(replayKey));
        assertFalse(reused.path("accepted").asBoolean(), reused.toString());
        assertEquals("unauthorised: token already used", reused.path("detail").asText());
        assertThat(reused.path("errors").get(0).path("message").asText(), startsWith("unauthorised: token already used"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/releases?service=ci-jti").then().body("$", hasSize(1))
                .body("[0].version", equalTo("1.0.0"));

        // the refusal was not recorded: the same command with a token of its own now works
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, replayKey, Commands.releaseData("ci-jti", "6.6.6"), ci());
        assertTrue(Commands.outcomes(replayKey, Duration.ofSeconds(3)).stream()
                .anyMatch(r -> EventTypes.COMMAND_ACCEPTED.equals(Commands.type(r))));
    }

    @Test
    void aRefusedCommandUsesItsTokenToo() {
        String token = TestTokens.command("ci-bot", "deployer:staging");
        String forbiddenKey = key();
        Api.release("ci-used", "1.0.0", "[]");
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, forbiddenKey, deployData("ci-used", "1.0.0", "production"),
                token);
        assertThat(json(Commands.outcome(forbiddenKey)).path("detail").asText(), startsWith("forbidden: "));
        String laterKey = key();
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, laterKey, deployData("ci-used", "1.0.0", "staging"), token);
        assertEquals("unauthorised: token already used", json(Commands.outcome(laterKey)).path("detail").asText());
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments?service=ci-used").then().body("$", hasSize(0));
    }

    @Test
    void longLivedOrIncompleteCommandTokensAreRefused() {
        long now = java.time.Instant.now().getEpochSecond();
        String claims = "\"iss\":\"stagecraft\",\"upn\":\"ci-bot\",\"groups\":[\"admin\"]";
        String[][] cases = {
                { "an hour-long token", TestTokens.token("ci-bot", "admin"), "may live at most 10 minutes" },
                { "no jti", TestTokens.signed("{" + claims + ",\"aud\":\"stagecraft\",\"iat\":" + now + ",\"exp\":"
                        + (now + 300) + "}"), "needs a jti" },
                { "no iat", TestTokens.signed("{" + claims + ",\"aud\":\"stagecraft\",\"exp\":" + (now + 300)
                        + ",\"jti\":\"" + UUID.randomUUID() + "\"}"), "iat" },
                { "another audience", TestTokens.signed("{" + claims + ",\"aud\":\"grafana\",\"iat\":" + now
                        + ",\"exp\":" + (now + 300) + ",\"jti\":\"" + UUID.randomUUID() + "\"}"), "audience" },
                { "no audience", TestTokens.signed("{" + claims + ",\"iat\":" + now + ",\"exp\":" + (now + 300)
                        + ",\"jti\":\"" + UUID.randomUUID() + "\"}"), "audience" } };
        List<String> wronglyAccepted = new java.util.ArrayList<>();
        for (String[] c : cases) {
            String k = key();
            Commands.send(EventTypes.COMMAND_CREATE_RELEASE, k, Commands.releaseData("ci-lifetime", "1.0.0"), c[1]);
            JsonNode outcome = json(Commands.outcome(k));
            if (outcome.path("accepted").asBoolean()) {
                wronglyAccepted.add(c[0]);
                continue;
            }
            assertThat(c[0], outcome.path("detail").asText(), startsWith("unauthorised: "));
            assertThat(c[0], outcome.path("errors").get(0).path("message").asText(), containsString(c[2]));
        }
        assertEquals(List.of(), wronglyAccepted);
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/releases?service=ci-lifetime").then().body("$", hasSize(0));
    }
}
