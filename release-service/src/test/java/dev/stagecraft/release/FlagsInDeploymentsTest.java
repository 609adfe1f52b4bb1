package dev.stagecraft.release;

import static dev.stagecraft.release.Commands.json;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.contracts.secrets.SecretBox;
import dev.stagecraft.contracts.secrets.SecretScope;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import dev.stagecraft.release.flags.OfrepSchemas;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Feature flags where deployments are: a flag change is published on the flags topic with its before and after, is a
 * line on the timeline of the deployment running there and an entry of the environment's history; and a canary's
 * flag overrides are served over OFREP to the instances it started (their token, opened from the sealed
 * {@code OFREP_HEADERS} the saga start carries, as a driver opens it), only while it runs, and never to the stable
 * pool. rollout-service is played on the broker.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class FlagsInDeploymentsTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String GREETING_OFF = "{\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}";

    @Test
    void aFlagChangeIsPublishedWithBeforeAndAfterAndShownOnTheRunningDeploymentAndInTheEnvironmentsHistory() {
        String env = "flag-history";
        Api.environment(env, "{\"order\":81}");
        Api.release("hist-shop", "1.0.0", "[]");
        String id = Api.deploy("hank", "hist-shop", "1.0.0", env, "REQUESTED");
        Api.lifecycle(id, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "rolling");
        await().atMost(WAIT).untilAsserted(() -> deployment(id).then().body("status", equalTo("IN_PROGRESS")));

        putFlag("hist-shop", env, "new-greeting", GREETING_OFF);
        putFlag("hist-shop", env, "new-greeting", GREETING_OFF.replace("\"off\"}", "\"on\"}"));
        putFlag("other-shop", env, "theme", "{\"variants\":{\"a\":\"x\"},\"defaultVariant\":\"a\"}");

        // on Kafka, for CI and dashboards: who, what, before and after
        JsonNode event = json(Api.kafka().await(Topics.FLAGS, r -> "hist-shop/flag-history".equals(r.key())
                && EventTypes.FLAG_CHANGED.equals(CloudEventsTestClient.header(r, "ce_type"))
                && json(r).path("version").asLong() == 1, WAIT));
        assertEquals("new-greeting", event.path("key").asText());
        assertEquals("flag-setter", event.path("actor").asText());
        assertEquals("off", event.at("/before/defaultVariant").asText());
        assertEquals("on", event.at("/after/defaultVariant").asText());
        assertFalse(event.path("deleted").asBoolean());

        // on the timeline of the deployment running there (not on other services' deployments)
        JsonPath view = deployment(id).jsonPath();
        List<String> lines = view.getList("timeline.findAll { it.event == '" + EventTypes.FLAG_CHANGED + "' }.message");
        assertEquals(List.of(
                "flag new-greeting created by flag-setter (version 0): ENABLED, default off, 2 variants, 0 rules",
                "flag new-greeting changed by flag-setter (version 1): defaultVariant off → on"), lines, view.prettify());

        // and in the environment's history, with the deployment, newest first
        JsonPath history = viewer().get("/api/v1/environments/" + env + "/history").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("flag", "flag", "flag", "deployment"), history.getList("kind"), history.prettify());
        assertEquals(List.of("other-shop", "hist-shop", "hist-shop", "hist-shop"), history.getList("service"));
        assertEquals("on", history.getString("[1].flag.after.defaultVariant"));
        assertEquals("off", history.getString("[1].flag.before.defaultVariant"));
        assertEquals("put", history.getString("[1].flag.action"));
        assertEquals(id, history.getString("[3].deployment.id"));
        assertEquals("IN_PROGRESS", history.getString("[3].deployment.status"));
        viewer().queryParam("service", "other-shop").queryParam("limit", "5")
                .get("/api/v1/environments/" + env + "/history").then().statusCode(200)
                .body("flag.key", equalTo(List.of("theme")));
        viewer().get("/api/v1/environments/no-such-env/history").then().statusCode(404)
                .contentType("application/problem+json");
        viewer().queryParam("limit", "0").get("/api/v1/environments/" + env + "/history").then().statusCode(400)
                .body("errors.field", hasItem("limit"));
    }

    @Test
    void aCanarysFlagOverridesReachOnlyItsOwnInstancesAndOnlyWhileItRuns() {
        String env = "flag-canary";
        String svc = "canary-flags";
        Api.environment(env, "{\"order\":82}");
        Api.release(svc, "1.0.0", "[]");
        Api.release(svc, "1.1.0", "[]");
        putFlag(svc, env, "new-greeting", GREETING_OFF);
        putFlag(svc, env, "theme", "{\"variants\":{\"dark\":\"#000\",\"light\":\"#fff\"},\"defaultVariant\":\"dark\"}");

        // the stable pool: started by a rolling deployment, with that deployment's token
        String first = Api.deploy("cara", svc, "1.0.0", env, "REQUESTED");
        String stable = instanceToken(first, svc, env);
        Api.lifecycle(first, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "rolling");
        Api.lifecycle(first, EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "rolled out");
        await().atMost(WAIT).untilAsserted(() -> deployment(first).then().body("status", equalTo("SUCCEEDED")));

        // overrides are checked against the flags when the deployment is requested
        Api.as("cara").body(canary(svc, env, "{\"new-greeting\":\"maybe\",\"nope\":\"on\"}"))
                .post("/api/v1/deployments").then().statusCode(400)
                .body("errors.field", equalTo(List.of("strategy.flagOverrides.new-greeting",
                        "strategy.flagOverrides.nope")));
        Api.as("cara").body(Api.deployBody(svc, "1.1.0", env).replace("\"rolling\"",
                "\"rolling\",\"flagOverrides\":{\"new-greeting\":\"on\"}")).post("/api/v1/deployments").then()
                .statusCode(400).body("errors.field", equalTo(List.of("strategy.flagOverrides")));

        String id = Api.as("cara").body(canary(svc, env, "{\"new-greeting\":\"on\",\"theme\":\"light\"}"))
                .post("/api/v1/deployments").then().statusCode(202).body("strategy.flagOverrides.new-greeting",
                        equalTo("on")).extract().path("id");
        String canary = instanceToken(id, svc, env);
        assertNotEquals(stable, canary);

        // not yet running: the flag as stored
        evaluate(canary, "new-greeting").then().statusCode(200).body("value", equalTo(false))
                .body("reason", equalTo("STATIC"));

        Api.lifecycle(id, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "canary pool provisioned");
        await().atMost(WAIT).untilAsserted(() -> evaluate(canary, "new-greeting").then().body("value", equalTo(true)));
        String single = evaluate(canary, "new-greeting").then().statusCode(200).body("variant", equalTo("on"))
                .body("reason", equalTo("TARGETING_MATCH")).body("metadata.override", equalTo("canary"))
                .body("metadata.deployment", equalTo(id)).extract().asString();
        OfrepSchemas.assertValid("evaluationSuccess", single);
        Response bulk = bulk(canary, null);
        bulk.then().statusCode(200).body("flags.find { it.key == 'theme' }.value", equalTo("#fff"))
                .body("flags.find { it.key == 'new-greeting' }.value", equalTo(true));
        OfrepSchemas.assertValid("bulkEvaluationSuccess", bulk.asString());
        String overriddenTag = bulk.header("ETag");
        bulk(canary, overriddenTag).then().statusCode(304);

        // never the stable pool, nor a token minted for people's own applications
        evaluate(stable, "new-greeting").then().statusCode(200).body("value", equalTo(false))
                .body("reason", equalTo("STATIC")).body("metadata", org.hamcrest.Matchers.nullValue());
        String own = Api.as("cara").body("{}").post("/api/v1/flags/" + svc + "/" + env + "/tokens").then()
                .statusCode(201).extract().path("token");
        bulk(own, null).then().statusCode(200).body("flags.find { it.key == 'theme' }.value", equalTo("#000"));

        // paused, it still runs; rolling back, the canary's instances evaluate the flags as stored
        Api.lifecycle(id, EventTypes.DEPLOYMENT_PAUSED, "PAUSED", "held at 5%");
        await().atMost(WAIT).untilAsserted(() -> deployment(id).then().body("status", equalTo("PAUSED")));
        evaluate(canary, "new-greeting").then().body("value", equalTo(true));
        Api.lifecycle(id, EventTypes.DEPLOYMENT_ROLLING_BACK, "ROLLING_BACK", "rollback requested");
        await().atMost(WAIT).untilAsserted(() -> evaluate(canary, "new-greeting").then().body("value", equalTo(false))
                .body("reason", equalTo("STATIC")));
        Response after = bulk(canary, overriddenTag);
        after.then().statusCode(200).body("flags.find { it.key == 'theme' }.value", equalTo("#000"));
        assertNotEquals(overriddenTag, after.header("ETag"), "the end of the overrides is a new answer");
    }

    /** The token the instances of deployment {@code id} get, opened as their driver opens it. */
    static String instanceToken(String id, String service, String environment) {
        JsonNode start = json(Api.awaitRecord(Topics.SAGA_STARTS, id, EventTypes.SAGA_START_REQUESTED));
        String sealed = start.at("/release/secrets/OFREP_HEADERS").asText();
        assertTrue(SecretBox.looksSealed(sealed), start.toString());
        String headers = SecretBox.ofBase64Key(StagecraftTestInfra.TEST_SECRETS_KEY).open(sealed,
                SecretScope.instance(environment, service, "OFREP_HEADERS"));
        assertTrue(headers.startsWith("Authorization=Bearer ofrep_"), "a header, not shown here");
        return headers.substring("Authorization=Bearer ".length());
    }

    static String canary(String service, String environment, String overrides) {
        return """
                {"service":"%s","version":"1.1.0","environment":"%s","strategy":{"type":"canary",
                 "steps":[{"weight":5,"pause":true}],"flagOverrides":%s}}
                """.formatted(service, environment, overrides);
    }

    static Response evaluate(String token, String key) {
        return ofrep(token).body("{\"context\":{\"targetingKey\":\"user-1\"}}").post("/ofrep/v1/evaluate/flags/" + key);
    }

    static Response bulk(String token, String ifNoneMatch) {
        RequestSpecification request = ofrep(token).body("{\"context\":{\"targetingKey\":\"user-1\"}}");
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return request.post("/ofrep/v1/evaluate/flags");
    }

    static RequestSpecification ofrep(String token) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
    }

    static void putFlag(String service, String environment, String key, String body) {
        given().contentType(ContentType.JSON).auth().oauth2(TestTokens.token("flag-setter", "deployer:" + environment))
                .body(body).put("/api/v1/flags/" + service + "/" + environment + "/" + key).then().statusCode(200);
    }

    static Response deployment(String id) {
        return viewer().get("/api/v1/deployments/" + id);
    }

    static RequestSpecification viewer() {
        return given().auth().oauth2(TestTokens.token("vera", "viewer"));
    }
}
