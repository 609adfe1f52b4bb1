package dev.stagecraft.release.webhook;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Webhooks end to end: lifecycle events published on the real broker, deliveries written by the
 * consumer and sent by the dispatcher to a real HTTP receiver that checks every signature. Retry
 * timings come from the %test profile (100 ms doubling to 400 ms, 4 attempts).
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class WebhooksOverKafkaTest {
    static final String SECRET = "receiver-secret-0123456789";
    static final String OTHER_SECRET = "another-receiver-secret-42";
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    static CloudEventsTestClient kafka;
    static WebhookTestReceiver receiver;

    @jakarta.inject.Inject
    dev.stagecraft.release.RecordingNetwork network;

    @BeforeAll
    static void setUp() throws Exception {
        kafka = new CloudEventsTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        receiver = new WebhookTestReceiver();
    }

    @AfterAll
    static void tearDown() {
        receiver.close();
        kafka.close();
    }

    /** As an admin. */
    static RequestSpecification api() {
        return as("admin");
    }

    /** A caller with these roles. */
    static RequestSpecification as(String... roles) {
        return given().auth().oauth2(dev.stagecraft.devinfra.TestTokens.token("webhook-tester", roles));
    }

    static String subscribe(String url, String secret, String... events) {
        String body = api().contentType(ContentType.JSON).body(Map.of("url", url, "secret", secret, "events",
                List.of(events))).post("/api/v1/webhooks")
                .then().statusCode(201).body("secret", equalTo("***")).body("url", equalTo(url))
                .extract().asString();
        assertFalse(body.contains(secret), "the secret is not shown again: " + body);
        return read(body).get("id").asText();
    }

    static void unsubscribe(String id) {
        api().delete("/api/v1/webhooks/" + id).then().statusCode(204);
    }

    static List<JsonNode> deliveries(String subscription) {
        JsonNode list = read(api().get("/api/v1/webhooks/" + subscription + "/deliveries").then().statusCode(200)
                .extract().asString());
        return java.util.stream.StreamSupport.stream(list.spliterator(), false).toList();
    }

    static JsonNode delivery(String subscription, String eventId) {
        return deliveries(subscription).stream().filter(d -> eventId.equals(d.get("eventId").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no delivery of " + eventId));
    }

    static void lifecycle(String deployment, String type, String status, String eventId) {
        kafka.publish(Topics.DEPLOYMENTS, deployment, type, eventId, """
                {"deploymentId":"%s","service":"shop","environment":"staging","version":"1.1.0","status":"%s",\
                "message":"%s","at":"%s"}""".formatted(deployment, status, status.toLowerCase(), Instant.now()));
    }

    static void requested(String deployment, String eventId) {
        kafka.publish(Topics.DEPLOYMENTS, deployment, EventTypes.DEPLOYMENT_REQUESTED, eventId, """
                {"deploymentId":"%s","service":"shop","version":"1.1.0","environment":"staging",\
                "release":{"service":"shop","version":"1.1.0","artifact":{"uri":"file:///tmp/shop.jar",\
                "sha256":"%s"},"config":{"DB_PASSWORD":"hunter2-must-not-leave"}},\
                "strategy":{"type":"rolling","maxUnavailable":"1"},"requestedBy":"tester","requestedAt":"%s"}"""
                .formatted(deployment, "a".repeat(64), Instant.now()));
    }

    /** What {@code endpoint} received about {@code deployment} (other tests' events share the topic). */
    static List<WebhookTestReceiver.Received> received(String endpoint, String deployment) {
        return receiver.received(endpoint).stream()
                .filter(r -> deployment.equals(read(r.body()).get("subject").asText())).toList();
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    @Test
    void aDeliveryIsRetriedUnderOneIdWithValidSignaturesUntilItArrives() {
        String deployment = UUID.randomUUID().toString();
        String flaky = receiver.endpoint("flaky", SECRET, 2);
        String everything = receiver.endpoint("everything", OTHER_SECRET, 0);
        String succeededOnly = subscribe(flaky, SECRET, "deployment.succeeded");
        String all = subscribe(everything, OTHER_SECRET, "*");

        requested(deployment, "requested-" + deployment);
        lifecycle(deployment, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started-" + deployment);
        lifecycle(deployment, EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "succeeded-" + deployment);

        // "*" gets every lifecycle event, deployment.requested included
        await().atMost(WAIT).until(() -> received("everything", deployment).stream().map(r -> r.event())
                .collect(Collectors.toSet()).equals(Set.of("deployment.requested", "deployment.started",
                        "deployment.succeeded")));
        // the flaky receiver answers 500, 500, then 200: three attempts, one delivery id
        await().atMost(WAIT).until(() -> received("flaky", deployment).stream().anyMatch(r -> r.answered() == 200));
        List<WebhookTestReceiver.Received> tries = received("flaky", deployment);
        assertEquals(List.of(500, 500, 200), tries.stream().map(r -> r.answered()).toList());
        assertEquals(1, tries.stream().map(r -> r.deliveryId()).distinct().count(), "one delivery id: " + tries);
        assertTrue(tries.stream().allMatch(r -> r.signatureValid()), "every signature verifies");
        assertTrue(tries.stream().allMatch(r -> "deployment.succeeded".equals(r.event())),
                "the deployment.succeeded filter keeps deployment.started (and requested) away: " + tries);
        assertTrue(tries.stream().allMatch(r -> "application/json".equals(r.contentType())));
        assertEquals(1, tries.stream().map(r -> r.body()).distinct().count(), "the same body every time");

        // the body is a structured CloudEvent
        JsonNode body = read(tries.get(0).body());
        assertEquals("succeeded-" + deployment, body.get("id").asText());
        assertEquals(EventTypes.DEPLOYMENT_SUCCEEDED, body.get("type").asText());
        assertEquals("SUCCEEDED", body.at("/data/status").asText());
        assertEquals("shop", body.at("/data/service").asText());

        // and the API tells the same story, once the pass that got the 200 has committed
        await().atMost(WAIT).until(() -> delivery(succeededOnly, "succeeded-" + deployment).get("status").asText()
                .equals("DELIVERED"));
        JsonNode delivery = delivery(succeededOnly, "succeeded-" + deployment);
        assertEquals(tries.get(0).deliveryId(), delivery.get("id").asText());
        assertEquals("DELIVERED", delivery.get("status").asText());
        assertEquals(3, delivery.get("attempts").asInt());
        assertEquals(200, delivery.get("lastStatusCode").asInt());
        assertTrue(delivery.get("nextAttemptAt").isNull());
        assertEquals(List.of(500, 500, 200), java.util.stream.StreamSupport.stream(delivery.get("history")
                .spliterator(), false).map(a -> a.get("statusCode").asInt()).toList());
        assertTrue(deliveries(succeededOnly).stream()
                .noneMatch(d -> d.get("eventId").asText().equals("started-" + deployment)));

        // deployment.requested goes out without the release's config (it may hold credentials)
        String requestedBody = received("everything", deployment).stream()
                .filter(r -> "deployment.requested".equals(r.event())).findFirst().orElseThrow().body();
        assertFalse(requestedBody.contains("hunter2"), requestedBody);
        assertEquals("rolling", read(requestedBody).at("/data/strategy/type").asText());

        unsubscribe(succeededOnly);
        unsubscribe(all);
    }

    @Test
    void aLifecycleMessageQuotingASecretLeavesWithTheSecretMasked() {
        String plain = "webhook-db-pa55word-" + UUID.randomUUID();
        api().contentType(ContentType.JSON).body("{\"order\":90,\"secrets\":{\"DB_PASSWORD\":\"" + plain + "\"}}")
                .put("/api/v1/environments/hooked").then().statusCode(200);
        String deployment = UUID.randomUUID().toString();
        String subscription = subscribe(receiver.endpoint("scrubbed", SECRET, 0), SECRET, "deployment.failed");
        kafka.publish(Topics.DEPLOYMENTS, deployment, EventTypes.DEPLOYMENT_FAILED, "leaky-" + deployment, """
                {"deploymentId":"%s","service":"shop","environment":"hooked","version":"1.1.0","status":"FAILED",\
                "message":"instance exited: password %s refused","at":"%s"}""".formatted(deployment, plain, Instant.now()));
        await().atMost(WAIT).until(() -> !received("scrubbed", deployment).isEmpty());
        String body = received("scrubbed", deployment).get(0).body();
        assertFalse(body.contains(plain), body);
        assertEquals("instance exited: password *** refused", read(body).at("/data/message").asText());
        unsubscribe(subscription);
    }

    @Test
    void anEventDeliveredTwiceOnKafkaMakesOneDelivery() {
        String deployment = UUID.randomUUID().toString();
        String subscription = subscribe(receiver.endpoint("dedupe", SECRET, 0), SECRET, "*");
        lifecycle(deployment, EventTypes.DEPLOYMENT_PROGRESSED, "IN_PROGRESS", "twice-" + deployment);
        lifecycle(deployment, EventTypes.DEPLOYMENT_PROGRESSED, "IN_PROGRESS", "twice-" + deployment);
        // same key, same partition: once this one is delivered, both copies above have been consumed
        lifecycle(deployment, EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "after-" + deployment);
        await().atMost(WAIT).until(() -> deliveries(subscription).stream()
                .filter(d -> d.get("eventId").asText().endsWith(deployment))
                .allMatch(d -> d.get("status").asText().equals("DELIVERED"))
                && received("dedupe", deployment).stream().anyMatch(r -> r.event().equals("deployment.succeeded")));

        assertEquals(1, deliveries(subscription).stream()
                .filter(d -> d.get("eventId").asText().equals("twice-" + deployment)).count());
        assertEquals(1, received("dedupe", deployment).stream()
                .filter(r -> r.event().equals("deployment.progressed")).count());
        unsubscribe(subscription);
    }

    @Test
    void pausesAndResumesAreDeliveredToThoseWhoAskForThem() {
        String deployment = UUID.randomUUID().toString();
        String subscription = subscribe(receiver.endpoint("steering", SECRET, 0), SECRET, "deployment.paused",
                "deployment.resumed");
        lifecycle(deployment, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "s-started-" + deployment);
        lifecycle(deployment, EventTypes.DEPLOYMENT_PAUSED, "PAUSED", "s-paused-" + deployment);
        lifecycle(deployment, EventTypes.DEPLOYMENT_RESUMED, "IN_PROGRESS", "s-resumed-" + deployment);
        await().atMost(WAIT).until(() -> received("steering", deployment).stream().map(r -> r.event()).toList()
                .containsAll(List.of("deployment.paused", "deployment.resumed")));
        List<WebhookTestReceiver.Received> got = received("steering", deployment);
        assertTrue(got.stream().noneMatch(r -> r.event().equals("deployment.started")), got.toString());
        assertEquals("PAUSED", got.stream().filter(r -> r.event().equals("deployment.paused")).findFirst()
                .map(r -> read(r.body()).at("/data/status").asText()).orElseThrow());
        unsubscribe(subscription);
    }

    @Test
    void aReceiverThatAlwaysFailsEndsFailedAfterTheLastAttempt() {
        String deployment = UUID.randomUUID().toString();
        String subscription = subscribe(receiver.endpoint("down", SECRET, WebhookTestReceiver.ALWAYS), SECRET,
                "deployment.failed");
        lifecycle(deployment, EventTypes.DEPLOYMENT_FAILED, "FAILED", "failed-" + deployment);

        await().atMost(WAIT).until(() -> deliveries(subscription).stream()
                .anyMatch(d -> d.get("eventId").asText().equals("failed-" + deployment)
                        && d.get("status").asText().equals("FAILED")));
        JsonNode delivery = delivery(subscription, "failed-" + deployment);
        int maxAttempts = ConfigProvider.getConfig().getValue("stagecraft.webhooks.max-attempts", Integer.class);
        assertEquals(maxAttempts, delivery.get("attempts").asInt());
        assertEquals(maxAttempts, delivery.get("history").size());
        assertEquals(500, delivery.get("lastStatusCode").asInt());
        assertTrue(delivery.get("nextAttemptAt").isNull());
        assertFalse(delivery.get("failedAt").isNull());

        List<WebhookTestReceiver.Received> tries = received("down", deployment);
        assertEquals(maxAttempts, tries.size());
        assertEquals(Set.of(delivery.get("id").asText()), tries.stream().map(r -> r.deliveryId())
                .collect(Collectors.toSet()));
        assertTrue(tries.stream().allMatch(r -> r.signatureValid()));

        // counted just after the commit the API has shown
        await().atMost(WAIT).until(() -> given().get("/q/metrics").then().statusCode(200).extract().asString()
                .lines().anyMatch(l -> l.startsWith("stagecraft_webhook_deliveries_total{")
                        && l.contains("outcome=\"failed\"") && !l.endsWith(" 0.0")));
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("stagecraft_webhook_deliveries_total{outcome=\"retried\"}"), metrics);
        assertTrue(metrics.contains("stagecraft_webhook_deliveries_total{outcome=\"delivered\"}"), metrics);
        unsubscribe(subscription);
    }

    @Test
    void aReceiverThatAnswersTooLateIsTriedAgain() {
        String deployment = UUID.randomUUID().toString();
        long timeoutMillis = ConfigProvider.getConfig().getValue("stagecraft.webhooks.timeout", Duration.class)
                .toMillis();
        String subscription = subscribe(receiver.slowEndpoint("slow", SECRET, timeoutMillis + 1000), SECRET,
                "deployment.aborted");
        lifecycle(deployment, EventTypes.DEPLOYMENT_ABORTED, "ABORTED", "aborted-" + deployment);

        await().atMost(WAIT).until(() -> deliveries(subscription).stream()
                .anyMatch(d -> d.get("eventId").asText().equals("aborted-" + deployment)
                        && d.get("status").asText().equals("DELIVERED")));
        JsonNode delivery = delivery(subscription, "aborted-" + deployment);
        assertEquals(2, delivery.get("attempts").asInt());
        JsonNode first = delivery.get("history").get(0);
        assertTrue(first.get("statusCode").isNull(), "no answer in time: " + first);
        assertTrue(first.get("error").asText().toLowerCase().contains("timed out"), first.toString());
        assertEquals(200, delivery.get("history").get(1).get("statusCode").asInt());
        assertEquals(1, received("slow", deployment).stream().map(r -> r.deliveryId()).distinct().count());
        unsubscribe(subscription);
    }

    @Test
    void subscriptionsCanBeListedAndDeletedAndNeverShowTheSecret() {
        // a public address, without asking DNS (and RecordingNetwork lets no delivery leave 127.0.0.0/8)
        network.point("ci.example.com", "93.184.216.34");
        String id = subscribe("https://ci.example.com/hooks/stagecraft", SECRET, "deployment.failed",
                "deployment.rolled-back", "deployment.failed");
        String list = api().get("/api/v1/webhooks").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.events", equalTo(List.of("deployment.failed",
                        "deployment.rolled-back")))
                .body("find { it.id == '" + id + "' }.secret", equalTo("***"))
                .extract().asString();
        assertFalse(list.contains(SECRET));

        unsubscribe(id);
        api().get("/api/v1/webhooks").then().body("id", not(org.hamcrest.Matchers.hasItem(id)));
        api().delete("/api/v1/webhooks/" + id).then().statusCode(404).contentType("application/problem+json");
        api().get("/api/v1/webhooks/" + id + "/deliveries").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void onlyAdminsManageWebhooks() {
        String body = "{\"url\":\"https://x/y\",\"secret\":\"" + SECRET + "\",\"events\":[\"*\"]}";
        given().contentType(ContentType.JSON).body(body).post("/api/v1/webhooks").then().statusCode(401);
        given().get("/api/v1/webhooks").then().statusCode(401);
        for (String role : List.of("viewer", "deployer", "approver")) {
            as(role).contentType(ContentType.JSON).body(body).post("/api/v1/webhooks").then().statusCode(403);
            as(role).get("/api/v1/webhooks").then().statusCode(403);
            as(role).get("/api/v1/webhooks/x/deliveries").then().statusCode(403);
            as(role).delete("/api/v1/webhooks/x").then().statusCode(403);
        }
    }

    @Test
    void aFlagChangeIsDeliveredAsACloudEventWithWhoAndItsBeforeAndAfter() {
        String flags = subscribe(receiver.endpoint("flags", SECRET, 0), SECRET, "flag.changed");
        String flag = "/api/v1/flags/hooked-flags/staging/banner";
        RequestSpecification deployer = given().contentType(ContentType.JSON)
                .auth().oauth2(dev.stagecraft.devinfra.TestTokens.token("fay", "deployer:staging"));
        deployer.body("{\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}").put(flag).then()
                .statusCode(200);
        deployer.delete(flag).then().statusCode(204);

        await().atMost(WAIT).until(() -> received("flags", "hooked-flags/staging/banner").size() == 2);
        List<WebhookTestReceiver.Received> got = received("flags", "hooked-flags/staging/banner");
        assertTrue(got.stream().allMatch(r -> r.signatureValid() && "flag.changed".equals(r.event())), got.toString());
        // one delivery per change, sent in any order
        JsonNode created = got.stream().map(r -> read(r.body())).filter(b -> !b.at("/data/deleted").asBoolean())
                .findFirst().orElseThrow();
        assertEquals(EventTypes.FLAG_CHANGED, created.get("type").asText());
        assertEquals("fay", created.at("/data/actor").asText());
        assertEquals("staging", created.at("/data/environment").asText());
        assertTrue(created.at("/data/before").isNull(), created.toString());
        assertEquals("off", created.at("/data/after/defaultVariant").asText());
        JsonNode deleted = got.stream().map(r -> read(r.body())).filter(b -> b.at("/data/deleted").asBoolean())
                .findFirst().orElseThrow();
        assertTrue(deleted.at("/data/deleted").asBoolean(), deleted.toString());
        assertEquals("off", deleted.at("/data/before/defaultVariant").asText());
        assertTrue(deleted.at("/data/after").isNull(), deleted.toString());
        unsubscribe(flags);
    }

    static Stream<Arguments> badSubscriptions() {
        String ok = "\"secret\":\"" + SECRET + "\"";
        return Stream.of(
                Arguments.of("no url", "{" + ok + ",\"events\":[\"*\"]}", List.of("url")),
                Arguments.of("ftp url", "{\"url\":\"ftp://x/y\"," + ok + ",\"events\":[\"*\"]}", List.of("url")),
                Arguments.of("relative url", "{\"url\":\"/hooks\"," + ok + ",\"events\":[\"*\"]}", List.of("url")),
                Arguments.of("short secret", "{\"url\":\"https://x/y\",\"secret\":\"short-secret\",\"events\":[\"*\"]}",
                        List.of("secret")),
                Arguments.of("no secret", "{\"url\":\"https://x/y\",\"events\":[\"*\"]}", List.of("secret")),
                Arguments.of("no events", "{\"url\":\"https://x/y\"," + ok + ",\"events\":[]}", List.of("events")),
                Arguments.of("unknown event", "{\"url\":\"https://x/y\"," + ok
                        + ",\"events\":[\"deployment.started\",\"deployment.exploded\"]}", List.of("events[1]")),
                Arguments.of("events not a list", "{\"url\":\"https://x/y\"," + ok
                        + ",\"events\":\"deployment.started\"}", List.of("events")),
                Arguments.of("everything wrong", "{\"url\":\"mailto:a@b\",\"secret\":\"x\",\"events\":[\"nope\"]}",
                        List.of("url", "secret", "events[0]")),
                Arguments.of("malformed JSON", "{\"url\":", List.of("body")),
                Arguments.of("empty body", "", List.of("body")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSubscriptions")
    void badSubscriptionsAreRefusedNamingEveryField(String name, String body, List<String> fields) {
        api().contentType(ContentType.JSON).body(body).post("/api/v1/webhooks")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(fields))
                .body(not(containsString(SECRET)));
    }
}
