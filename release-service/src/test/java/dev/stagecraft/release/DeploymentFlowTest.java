package dev.stagecraft.release;

import dev.stagecraft.devinfra.TestTokens;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.platform.artifact.ArtifactStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Deployments through the gates, out to Kafka, and back from the saga's lifecycle events — with a
 * duplicate delivery (applied once) and a poison record (dead-lettered while the partition flows).
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class DeploymentFlowTest {
    static CloudEventsTestClient kafka;
    static String sha;
    static String uri;

    @BeforeAll
    static void setUp() throws Exception {
        kafka = new CloudEventsTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        Path artifact = TestArtifacts.file("deploy-test", "deployable bytes");
        sha = ArtifactStore.sha256(artifact);
        uri = artifact.toUri().toString();
    }

    @AfterAll
    static void tearDown() {
        kafka.close();
    }

    static void release(String service, String version) {
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"%s","version":"%s","artifact":{"uri":"%s","sha256":"%s"},"config":{"A":"release"}}
                """.formatted(service, version, uri, sha)).post("/api/v1/releases").then().statusCode(201);
    }

    static String deploy(String service, String version, String environment) {
        return given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"%s","version":"%s","environment":"%s","strategy":{"type":"rolling","maxUnavailable":1}}
                """.formatted(service, version, environment)).post("/api/v1/deployments")
                .then().statusCode(202).body("status", equalTo("REQUESTED")).extract().path("id");
    }

    static void lifecycle(String id, String type, String status, String message, String eventId) {
        kafka.publish(Topics.DEPLOYMENTS, id, type, eventId, """
                {"deploymentId":"%s","service":"s","environment":"e","version":"v","status":"%s","message":"%s","at":"%s"}
                """.formatted(id, status, message, Instant.now()));
    }

    @Test
    void aRequestedDeploymentIsPublishedWithItsMergedConfig() {
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"order\":20,\"config\":{\"DATABASE_URL\":\"staging-db\",\"A\":\"env\"}}")
                .put("/api/v1/environments/staging").then().statusCode(200);
        release("web", "1.0.0");
        String id = deploy("web", "1.0.0", "staging");
        var record = kafka.await(Topics.DEPLOYMENTS, r -> id.equals(r.key())
                && EventTypes.DEPLOYMENT_REQUESTED.equals(CloudEventsTestClient.header(r, "ce_type")), Duration.ofSeconds(20));
        assertEquals("1.0", CloudEventsTestClient.header(record, "ce_specversion"));
        org.hamcrest.MatcherAssert.assertThat(record.value(), containsString("\"DATABASE_URL\":\"staging-db\""));
        org.hamcrest.MatcherAssert.assertThat(record.value(), containsString("\"A\":\"env\""));

        // a second one while the first runs is refused, naming the running deployment
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"web","version":"1.0.0","environment":"staging","strategy":{"type":"rolling"}}
                """).post("/api/v1/deployments").then().statusCode(409)
                .body("errors.field", hasItem("gate.concurrency")).body("errors.message", hasItem(containsString(id)));

        // the saga's events move it along; the same event delivered twice is applied once
        lifecycle(id, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started", "evt-started-" + id);
        lifecycle(id, EventTypes.DEPLOYMENT_PROGRESSED, "IN_PROGRESS", "batch 1 done", "evt-progress-" + id);
        lifecycle(id, EventTypes.DEPLOYMENT_PROGRESSED, "IN_PROGRESS", "batch 1 done", "evt-progress-" + id);
        lifecycle(id, EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "all good", "evt-done-" + id);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id)
                .then().body("status", equalTo("SUCCEEDED")).body("reasons", hasItem("all good")));
        List<String> messages = given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then().extract().path("timeline.message");
        assertEquals(1, messages.stream().filter("batch 1 done"::equals).count(), "applied once: " + messages);

        // a late, illegal move is recorded but not applied
        lifecycle(id, EventTypes.DEPLOYMENT_ROLLING_BACK, "ROLLING_BACK", "too late", "evt-late-" + id);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id)
                .then().body("status", equalTo("SUCCEEDED"))
                .body("timeline.message", hasItem(containsString("not applied"))));

        // production after staging succeeded: the promotion gate passes
        String prod = deploy("web", "1.0.0", "production");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + prod).then().body("gates.find { it.name == 'promotion' }.passed",
                equalTo(true));
    }

    /**
     * A deployment's own smoke checks: every mistake named; added to the release's (one named alike replaced); the
     * saga gets them with their headers, while views and the followers' topic show no header value.
     */
    @Test
    void aDeploymentsSmokeChecksJoinItsReleasesAndNoViewShowsAHeaderValue() {
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"smoke-web","version":"1.0.0","artifact":{"uri":"%s","sha256":"%s"},
                 "smokeChecks":[{"path":"/api/cart"},{"name":"quote","method":"POST","path":"/api/quote",
                   "headers":{"X-Api-Key":"k-release-1"},"body":{"sku":"a-1"}}]}""".formatted(uri, sha))
                .post("/api/v1/releases").then().statusCode(201)
                .body("smokeChecks[1].headers.'X-Api-Key'", equalTo("***")).body("smokeChecks[1].body.sku", equalTo("a-1"));
        String deployment = """
                {"service":"smoke-web","version":"1.0.0","environment":"development","strategy":{"type":"rolling"},
                 "smokeChecks":%s}""";
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(deployment.formatted("""
                [{"method":"DELETE","path":"api/cart"},{"path":"/a","method":"GET","body":{"x":1},
                  "headers":{"Host":"evil.example","X-Key":"sealed:v2:k:QUJD","X Bad":"v"}}]"""))
                .post("/api/v1/deployments").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("smokeChecks[0].method"))
                .body("errors.field", hasItem("smokeChecks[0].path"))
                .body("errors.field", hasItem("smokeChecks[1].body"))
                .body("errors.field", hasItem("smokeChecks[1].headers.Host"))
                .body("errors.field", hasItem("smokeChecks[1].headers.X-Key"))
                .body("errors.field", hasItem("smokeChecks[1].headers.X Bad"));

        String id = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(deployment.formatted("""
                [{"name":"quote","method":"POST","path":"/api/quote/v2","headers":{"X-Api-Key":"k-deploy-2"}},
                 {"method":"HEAD","path":"/"}]""")).post("/api/v1/deployments").then().statusCode(202)
                .body("smokeChecks", org.hamcrest.Matchers.hasSize(2))
                .body("smokeChecks[0].headers.'X-Api-Key'", equalTo("***")).extract().path("id");
        var start = kafka.await(Topics.SAGA_STARTS, r -> id.equals(r.key()), Duration.ofSeconds(20));
        org.hamcrest.MatcherAssert.assertThat(start.value(), containsString("\"path\":\"/api/cart\""));
        org.hamcrest.MatcherAssert.assertThat(start.value(), containsString("\"path\":\"/api/quote/v2\""));
        org.hamcrest.MatcherAssert.assertThat(start.value(), containsString("\"X-Api-Key\":\"k-deploy-2\""));
        org.hamcrest.MatcherAssert.assertThat(start.value(), containsString("\"method\":\"HEAD\""));
        org.hamcrest.MatcherAssert.assertThat("replaced by the deployment's check named alike", start.value(),
                org.hamcrest.Matchers.not(containsString("k-release-1")));
        var followers = kafka.await(Topics.DEPLOYMENTS, r -> id.equals(r.key())
                && EventTypes.DEPLOYMENT_REQUESTED.equals(CloudEventsTestClient.header(r, "ce_type")), Duration.ofSeconds(20));
        org.hamcrest.MatcherAssert.assertThat(followers.value(), containsString("\"X-Api-Key\":\"***\""));
        org.hamcrest.MatcherAssert.assertThat(followers.value(), org.hamcrest.Matchers.not(containsString("k-deploy-2")));
        given().auth().oauth2(TestTokens.admin()).queryParam("subject", id).get("/api/v1/audit").then().statusCode(200)
                .body("find { it.action == 'deployment.requested' }.details.smokeChecks[0].headers.'X-Api-Key'",
                        equalTo("***"));
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndThePartitionKeepsFlowing() {
        release("api", "2.0.0");
        String id = deploy("api", "2.0.0", "staging");
        kafka.publishRaw(Topics.DEPLOYMENTS, id, "{this is not json", Map.of("ce_id", "poison-1", "ce_type",
                EventTypes.DEPLOYMENT_STARTED, "ce_specversion", "1.0"));
        kafka.publishRaw(Topics.DEPLOYMENTS, id, "no headers at all", Map.of());
        lifecycle(id, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started after the poison", "evt-after-" + id);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id)
                .then().body("status", equalTo("IN_PROGRESS")));
        var dead = kafka.await(Topics.deadLetter("release-service"), r -> "{this is not json".equals(r.value()),
                Duration.ofSeconds(20));
        assertEquals(id, dead.key());
        kafka.await(Topics.deadLetter("release-service"), r -> "no headers at all".equals(r.value()),
                Duration.ofSeconds(20));
    }

    @Test
    void badDeploymentRequestsNameTheirProblems() {
        release("cart", "1.0.0");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"cart","version":"1.0.0","environment":"staging","strategy":{"type":"yolo"}}
                """).post("/api/v1/deployments").then().statusCode(400).body("errors.field", hasItem("strategy.type"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"cart","version":"1.0.0","environment":"staging","strategy":{"type":"rolling","maxUnavailable":"0%"}}
                """).post("/api/v1/deployments").then().statusCode(400)
                .body("errors.field", hasItem("strategy.maxUnavailable"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"cart","version":"1.0.0","environment":"staging","strategy":{"type":"canary"}}
                """).post("/api/v1/deployments").then().statusCode(400).body("errors.field", hasItem("strategy.steps"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"cart","version":"9.9.9","environment":"moon","strategy":{"type":"rolling"}}
                """).post("/api/v1/deployments").then().statusCode(422)
                .body("errors.field", hasItem("version")).body("errors.field", hasItem("environment"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("""
                {"service":"cart","version":"1.0.0","environment":"production","strategy":{"type":"rolling"}}
                """).post("/api/v1/deployments").then().statusCode(409)
                .body("errors.field", hasItem("gate.promotion"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"service\":").post("/api/v1/deployments").then().statusCode(400)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/nope").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments?status=BOGUS").then().statusCode(400).body("errors.field", hasItem("status"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).post("/api/v1/deployments/nope/rollback").then().statusCode(404);
    }
}
