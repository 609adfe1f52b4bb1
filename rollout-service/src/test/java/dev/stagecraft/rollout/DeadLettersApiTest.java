package dev.stagecraft.rollout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
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

/** The dead letters of a service (platform's DeadLetterResource), listed and re-driven by an admin. */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class DeadLettersApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static CloudEventsTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new CloudEventsTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aDeadLetterIsListedWithWhyAndReDrivenToItsTopic() {
        String deployment = UUID.randomUUID().toString();
        // a verdict whose step is not a number: it can never be applied
        String eventId = kafka.publish(Topics.HEALTH, deployment, EventTypes.VERDICT_REACHED,
                "{\"deploymentId\":\"" + deployment + "\",\"step\":\"many\"}");
        ConsumerRecord<String, String> dead = kafka.await(Topics.deadLetter("rollout-service"),
                r -> eventId.equals(CloudEventsTestClient.header(r, "ce_id")), WAIT);
        long id = dead.offset();

        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.admin())
                .get("/api/v1/dead-letters").then().statusCode(200).body("eventId", hasItem(eventId)));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/dead-letters/" + id).then().statusCode(200)
                .body("topic", equalTo(Topics.HEALTH)).body("key", equalTo(deployment))
                .body("type", equalTo(EventTypes.VERDICT_REACHED)).body("reason", containsString("VerdictReached"));
        given().auth().oauth2(TestTokens.token("vic", "viewer")).post("/api/v1/dead-letters/" + id + "/redrive").then()
                .statusCode(403);
        given().auth().oauth2(TestTokens.admin()).post("/api/v1/dead-letters/999999/redrive").then().statusCode(404);

        given().auth().oauth2(TestTokens.admin()).post("/api/v1/dead-letters/" + id + "/redrive").then()
                .statusCode(202).body("eventId", equalTo(eventId));
        ConsumerRecord<String, String> back = kafka.await(Topics.HEALTH, r -> eventId.equals(
                CloudEventsTestClient.header(r, "ce_id")) && CloudEventsTestClient.header(r,
                        "stagecraft-redriven-from") != null, WAIT);
        assertEquals(deployment, back.key());
        assertEquals(dead.value(), back.value());
        assertNull(CloudEventsTestClient.header(back, "dead-letter-reason"), "sent back without the dead-letter headers");
        // still undecodable: dead-lettered again, which the list shows as a second letter with the same event id
        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(TestTokens.admin())
                .get("/api/v1/dead-letters").then().body("findAll { it.eventId == '" + eventId + "' }.size()",
                        equalTo(2)));
    }

}
