package dev.stagecraft.release;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Bake time: BAKING after the saga's succeeded, SUCCEEDED when the bake ends; an Alertmanager notification during
 * the bake rolls the service back to its last stable release (the documented payload, then a real Alertmanager).
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class BakeAndAlertRollbackTest {
    static final String TOKEN = "test-alertmanager-token-0123456789abcdef";
    static final String ALERTS = "/api/v1/alerts/alertmanager";

    @BeforeAll
    static void setUp() throws Exception {
        DeploymentFlowTest.setUp();
    }

    @AfterAll
    static void tearDown() {
        DeploymentFlowTest.tearDown();
    }

    static void environment(String name, int order, String bakeTime) {
        String bake = bakeTime == null ? "" : ",\"bakeTime\":\"" + bakeTime + "\"";
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"order\":" + order + bake + "}")
                .put("/api/v1/environments/" + name).then().statusCode(200).body("bakeTime", equalTo(bakeTime));
    }

    static void rollOut(String id) {
        DeploymentFlowTest.lifecycle(id, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started", "bake-s-" + id);
        DeploymentFlowTest.lifecycle(id, EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "all batches done", "bake-d-" + id);
    }

    static void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(TestTokens.admin())
                .get("/api/v1/deployments/" + id).then().body("status", equalTo(status)));
    }

    static String notification(String status, String alertname, String service, String environment) {
        String env = environment == null ? "" : ",\"environment\":\"" + environment + "\"";
        return """
                {"version":"4","groupKey":"{}:{alertname=\\"%2$s\\"}","truncatedAlerts":0,"status":"%1$s",
                 "receiver":"stagecraft","groupLabels":{"alertname":"%2$s"},"commonLabels":{"alertname":"%2$s"},
                 "commonAnnotations":{},"externalURL":"http://alertmanager:9093","alerts":[
                 {"status":"%1$s","labels":{"alertname":"%2$s","service":"%3$s"%4$s,"severity":"page"},
                  "annotations":{"summary":"error rate 12%% over 5m"},"startsAt":"%5$s","endsAt":"0001-01-01T00:00:00Z",
                  "generatorURL":"http://prometheus:9090/graph","fingerprint":"c0ffee"}]}
                """.formatted(status, alertname, service, env, Instant.now().minusSeconds(60));
    }

    @Test
    void bakeTimesAreValidated() {
        for (String bad : List.of("soon", "25h", "-1m")) {
            given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                    .body("{\"order\":72,\"bakeTime\":\"" + bad + "\"}").put("/api/v1/environments/badbake").then()
                    .statusCode(400).body("errors.field", hasItem("bakeTime"));
        }
    }

    @Test
    void aDeploymentBakesThenSucceedsAndTellsFollowers() {
        environment("quickbake", 71, "1s");
        DeploymentFlowTest.release("loaf", "1.0.0");
        String id = DeploymentFlowTest.deploy("loaf", "1.0.0", "quickbake");
        rollOut(id);
        var baking = DeploymentFlowTest.kafka.await(Topics.DEPLOYMENTS, r -> id.equals(r.key())
                && EventTypes.DEPLOYMENT_BAKING.equals(CloudEventsTestClient.header(r, "ce_type")), Duration.ofSeconds(30));
        org.hamcrest.MatcherAssert.assertThat(baking.value(), containsString("\"status\":\"BAKING\""));
        DeploymentFlowTest.kafka.await(Topics.DEPLOYMENTS, r -> id.equals(r.key())
                && EventTypes.DEPLOYMENT_BAKED.equals(CloudEventsTestClient.header(r, "ce_type")), Duration.ofSeconds(30));
        awaitStatus(id, "SUCCEEDED");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then()
                .body("timeline.status", hasItems("BAKING", "SUCCEEDED"))
                .body("timeline.event", hasItem(EventTypes.DEPLOYMENT_BAKED))
                .body("timeline.message", hasItem(containsString("baking for 1s")));
        // the slot was held during the bake and is free now
        DeploymentFlowTest.release("loaf", "1.0.1");
        DeploymentFlowTest.deploy("loaf", "1.0.1", "quickbake");
    }

    @Test
    void aFiringAlertDuringTheBakeRollsBackToTheLastStableRelease() {
        environment("bakery", 70, null);
        DeploymentFlowTest.release("bread", "1.0.0");
        DeploymentFlowTest.release("bread", "1.1.0");
        String stable = DeploymentFlowTest.deploy("bread", "1.0.0", "bakery");
        rollOut(stable);
        awaitStatus(stable, "SUCCEEDED"); // no bake time: SUCCEEDED at once
        environment("bakery", 70, "1h");
        String baking = DeploymentFlowTest.deploy("bread", "1.1.0", "bakery");
        rollOut(baking);
        awaitStatus(baking, "BAKING");

        given().contentType(ContentType.JSON).body(notification("firing", "HighErrorRate", "bread", "bakery"))
                .post(ALERTS).then().statusCode(401).contentType(containsString("problem+json"));
        given().header("Authorization", "Bearer wrong-token-wrong-token-wrong-token").contentType(ContentType.JSON)
                .body(notification("firing", "HighErrorRate", "bread", "bakery")).post(ALERTS).then().statusCode(401);
        given().header("Authorization", "Bearer short").contentType(ContentType.JSON) // too short: never configured
                .body(notification("firing", "HighErrorRate", "bread", "bakery")).post(ALERTS).then().statusCode(401);
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON) // a platform JWT is not a receiver's token
                .body(notification("firing", "HighErrorRate", "bread", "bakery")).post(ALERTS).then().statusCode(401);
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"status\":\"firing\"}").post(ALERTS).then()
                .statusCode(400).body("errors.field", hasItem("alerts"));
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body("{\"alerts\":[{\"labels\":{}}]}").post(ALERTS)
                .then().statusCode(400).body("errors.field", hasItem("alerts[0]"));
        // resolved, or without an environment label: nothing to act on
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .body(notification("resolved", "HighErrorRate", "bread", "bakery")).post(ALERTS).then().statusCode(200)
                .body("skipped", equalTo(1)).body("outcomes.size()", equalTo(0));
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .body(notification("firing", "HighErrorRate", "bread", null)).post(ALERTS).then().statusCode(200)
                .body("skipped", equalTo(1));
        awaitStatus(baking, "BAKING");

        String rollback = given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .body(notification("firing", "HighErrorRate", "bread", "bakery")).post(ALERTS).then().statusCode(200)
                .body("receiver", equalTo("test-am")).body("outcomes[0].action", equalTo("rolled-back"))
                .body("outcomes[0].deploymentId", equalTo(baking))
                .extract().path("outcomes[0].rollbackDeploymentId");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + baking).then()
                .body("status", equalTo("ROLLING_BACK"))
                .body("timeline.event", hasItem(EventTypes.DEPLOYMENT_BAKE_FAILED))
                .body("reasons[0]", containsString("alert HighErrorRate (error rate 12% over 5m)"))
                .body("reasons[0]", containsString("rolling back to 1.0.0 by deployment " + rollback));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + rollback).then()
                .body("version", equalTo("1.0.0")).body("status", equalTo("REQUESTED"))
                .body("strategy.maxUnavailable", equalTo("50%")).body("requestedBy", equalTo("alertmanager:test-am"));
        DeploymentFlowTest.kafka.await(Topics.DEPLOYMENTS, r -> rollback.equals(r.key())
                && EventTypes.DEPLOYMENT_REQUESTED.equals(CloudEventsTestClient.header(r, "ce_type")), Duration.ofSeconds(30));
        // Alertmanager repeats itself: the same alert again acts no more
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .body(notification("firing", "HighErrorRate", "bread", "bakery")).post(ALERTS).then().statusCode(200)
                .body("outcomes[0].action", equalTo("ignored"));
        given().auth().oauth2(TestTokens.admin()).queryParam("subject", baking).get("/api/v1/audit").then()
                .body("action", hasItem("deployment.bake-failed")).body("actor", hasItem("alertmanager:test-am"));

        // the rollback does not bake (it restores a known release), and its end ends the rolled-back deployment
        rollOut(rollback);
        awaitStatus(rollback, "SUCCEEDED");
        awaitStatus(baking, "ROLLED_BACK");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + baking).then()
                .body("reasons[1]", equalTo("rolled back: deployment " + rollback + " restored 1.0.0"))
                .body("finishedAt", notNullValue());
        DeploymentFlowTest.kafka.await(Topics.DEPLOYMENTS, r -> baking.equals(r.key())
                && EventTypes.DEPLOYMENT_ROLLBACK_ENDED.equals(CloudEventsTestClient.header(r, "ce_type")),
                Duration.ofSeconds(30));
        // DORA: the incident began when the alert's rollback started, and ended when it restored 1.0.0
        var restored = given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + rollback).then()
                .extract().jsonPath();
        double took = Duration.between(java.time.Instant.parse(restored.getString("createdAt")),
                java.time.Instant.parse(restored.getString("finishedAt"))).toNanos() / 1e9;
        var dora = given().auth().oauth2(TestTokens.admin()).queryParam("service", "bread")
                .queryParam("environment", "bakery").get("/api/v1/insights/dora").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(1, dora.getInt("figures[0].rolledBack"), dora.prettify());
        assertEquals(1, dora.getInt("figures[0].timeToRestore.count"), dora.prettify());
        assertEquals(took, dora.getDouble("figures[0].timeToRestore.sumSeconds"), 0.002, dora.prettify());
    }

    @Test
    void aPersonRollsBackDuringTheBakeAndWithNothingToGoBackToTheBakeFails() {
        environment("proofing", 74, null);
        DeploymentFlowTest.release("roll", "1.0.0");
        DeploymentFlowTest.release("roll", "1.1.0");
        String stable = DeploymentFlowTest.deploy("roll", "1.0.0", "proofing");
        rollOut(stable);
        awaitStatus(stable, "SUCCEEDED");
        environment("proofing", 74, "1h");
        String baking = DeploymentFlowTest.deploy("roll", "1.1.0", "proofing");
        rollOut(baking);
        awaitStatus(baking, "BAKING");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"reason\":\"stop\"}")
                .post("/api/v1/deployments/" + baking + "/abort").then().statusCode(409);
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"reason\":\"slow checkout\"}")
                .post("/api/v1/deployments/" + baking + "/rollback").then().statusCode(202)
                .body("status", equalTo("ROLLING_BACK"))
                .body("reasons[0]", containsString("rollback requested by test-admin during the bake: slow checkout"))
                .body("reasons[0]", containsString("rolling back to 1.0.0 by deployment"));

        // the first release ever, baking: an alert has nothing to go back to
        environment("firstbake", 75, "1h");
        String first = DeploymentFlowTest.deploy("roll", "1.0.0", "firstbake");
        rollOut(first);
        awaitStatus(first, "BAKING");
        given().auth().oauth2(TOKEN).contentType(ContentType.JSON)
                .body(notification("firing", "HighErrorRate", "roll", "firstbake")).post(ALERTS).then().statusCode(200)
                .body("outcomes[0].action", equalTo("failed"))
                .body("outcomes[0].reason", containsString("no earlier SUCCEEDED release to roll back to"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + first).then().body("status", equalTo("FAILED"));
        DeploymentFlowTest.deploy("roll", "1.1.0", "firstbake"); // the slot is free again
    }

    @Test
    void aRealAlertmanagerPostsItsAlertAndTheBakingDeploymentIsRolledBack() throws Exception {
        environment("oven", 73, null);
        DeploymentFlowTest.release("bun", "2.0.0");
        DeploymentFlowTest.release("bun", "2.1.0");
        rollOut(DeploymentFlowTest.deploy("bun", "2.0.0", "oven"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(TestTokens.admin())
                .queryParam("service", "bun").queryParam("status", "SUCCEEDED").get("/api/v1/deployments").then()
                .body("size()", equalTo(1)));
        environment("oven", 73, "1h");
        String baking = DeploymentFlowTest.deploy("bun", "2.1.0", "oven");
        rollOut(baking);
        awaitStatus(baking, "BAKING");

        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        try (AlertmanagerProcess alertmanager = AlertmanagerProcess.start("http://127.0.0.1:" + port + ALERTS, TOKEN)) {
            long posted = System.nanoTime();
            alertmanager.post("""
                    [{"labels":{"alertname":"StagecraftCanaryErrorRate","service":"bun","environment":"oven"},
                      "annotations":{"summary":"5xx above 5%%"},"startsAt":"%s"}]
                    """.formatted(Instant.now()));
            awaitStatus(baking, "ROLLING_BACK");
            System.out.printf("alert rollback: Alertmanager alert posted -> deployment ROLLING_BACK in %d ms%n",
                    (System.nanoTime() - posted) / 1_000_000);
            given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + baking).then()
                    .body("reasons[0]", containsString("alert StagecraftCanaryErrorRate (5xx above 5%)"))
                    .body("reasons[0]", containsString("from receiver test-am"))
                    .body("reasons[0]", containsString("rolling back to 2.0.0"));
            List<String> versions = given().auth().oauth2(TestTokens.admin()).queryParam("service", "bun")
                    .get("/api/v1/deployments").then().extract().path("version");
            assertEquals(List.of("2.0.0", "2.1.0", "2.0.0"), versions, "newest first: one rollback, to 2.0.0");
        }
    }
}
