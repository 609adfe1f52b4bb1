package dev.stagecraft.release;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.FleetChanged;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.contracts.cdevents.ArtifactPurl;
import dev.stagecraft.contracts.cdevents.CdEventTypes;
import dev.stagecraft.devinfra.CdEventSchemas;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * CDEvents on stagecraft.cdevents, from the code paths that make the facts: environments put over REST, releases
 * created, deployments rolled out, rolled back by the saga and by an alert during a bake, and a fleet emptied (the
 * saga's and inventory-service's events played on Kafka, as in the other tests here). Every record on the topic is
 * validated against its schema in ../shared/specs/cdevents (CdEventSchemas), and each of the nine types must be
 * there with the subject and content the facts call for.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class CdEventsPublicationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE = "cdsvc";

    @BeforeAll
    static void setUp() throws Exception {
        DeploymentFlowTest.setUp();
    }

    @AfterAll
    static void tearDown() {
        DeploymentFlowTest.tearDown();
    }

    @Test
    void everyTypeIsPublishedFromTheFactThatCausesItAndHoldsToItsSchema() throws Exception {
        // environments: created, put again unchanged (no event), modified
        BakeAndAlertRollbackTest.environment("cdbake", 77, null);
        BakeAndAlertRollbackTest.environment("cdbake", 77, null);
        BakeAndAlertRollbackTest.environment("cdplain", 78, null);
        DeploymentFlowTest.release(SERVICE, "1.0.0");
        DeploymentFlowTest.release(SERVICE, "1.1.0+exp.1");

        // the saga rolls 1.0.0 out (deployed), then rolls 1.1.0 back by itself (incident, rolledback to 1.0.0)
        String first = DeploymentFlowTest.deploy(SERVICE, "1.0.0", "cdplain");
        BakeAndAlertRollbackTest.rollOut(first);
        BakeAndAlertRollbackTest.awaitStatus(first, "SUCCEEDED");
        String bad = DeploymentFlowTest.deploy(SERVICE, "1.1.0+exp.1", "cdplain");
        DeploymentFlowTest.lifecycle(bad, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started", "cd-s-" + bad);
        DeploymentFlowTest.lifecycle(bad, EventTypes.DEPLOYMENT_ROLLING_BACK, "ROLLING_BACK",
                "verdict FAIL: readiness of i-1", "cd-rb-" + bad);
        DeploymentFlowTest.lifecycle(bad, EventTypes.DEPLOYMENT_ROLLED_BACK, "ROLLED_BACK", "restored", "cd-rd-" + bad);
        BakeAndAlertRollbackTest.awaitStatus(bad, "ROLLED_BACK");
        // 1.1.0 again, and its rollback fails: an incident left open until 1.0.0 rolls out there once more
        String failed = DeploymentFlowTest.deploy(SERVICE, "1.1.0+exp.1", "cdplain");
        DeploymentFlowTest.lifecycle(failed, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started", "cd-s-" + failed);
        DeploymentFlowTest.lifecycle(failed, EventTypes.DEPLOYMENT_ROLLING_BACK, "ROLLING_BACK",
                "verdict FAIL: liveness of i-2", "cd-rb-" + failed);
        DeploymentFlowTest.lifecycle(failed, EventTypes.DEPLOYMENT_FAILED, "FAILED", "rollback failed: i-2 did not start",
                "cd-f-" + failed);
        BakeAndAlertRollbackTest.awaitStatus(failed, "FAILED");
        // an alert while nothing bakes there acts on nothing, and tells no incident (its end would never be told)
        given().auth().oauth2(BakeAndAlertRollbackTest.TOKEN).contentType(ContentType.JSON)
                .body(BakeAndAlertRollbackTest.notification("firing", "CdIdle", SERVICE, "cdplain"))
                .post(BakeAndAlertRollbackTest.ALERTS).then().statusCode(200).body("outcomes[0].action", equalTo("ignored"));
        String restore = DeploymentFlowTest.deploy(SERVICE, "1.0.0", "cdplain");
        BakeAndAlertRollbackTest.rollOut(restore);
        BakeAndAlertRollbackTest.awaitStatus(restore, "SUCCEEDED");

        // in a baking environment: 1.0.0 deployed, 1.1.0 upgraded, then an alert rolls it back to 1.0.0
        String stable = DeploymentFlowTest.deploy(SERVICE, "1.0.0", "cdbake");
        BakeAndAlertRollbackTest.rollOut(stable);
        BakeAndAlertRollbackTest.awaitStatus(stable, "SUCCEEDED");
        BakeAndAlertRollbackTest.environment("cdbake", 77, "1h");
        String baking = DeploymentFlowTest.deploy(SERVICE, "1.1.0+exp.1", "cdbake");
        BakeAndAlertRollbackTest.rollOut(baking);
        BakeAndAlertRollbackTest.awaitStatus(baking, "BAKING");
        String rollback = given().auth().oauth2(BakeAndAlertRollbackTest.TOKEN).contentType(ContentType.JSON)
                .body(BakeAndAlertRollbackTest.notification("firing", "CdErrorRate", SERVICE, "cdbake"))
                .post(BakeAndAlertRollbackTest.ALERTS).then().statusCode(200).extract()
                .path("outcomes[0].rollbackDeploymentId");
        BakeAndAlertRollbackTest.rollOut(rollback);
        BakeAndAlertRollbackTest.awaitStatus(baking, "ROLLED_BACK");

        // inventory-service empties the fleet in cdplain: service.removed
        Instant t = Instant.now();
        DeploymentFlowTest.kafka.publish(Topics.INSTANCES, FleetChanged.key(SERVICE, "cdplain"),
                EventTypes.FLEET_CHANGED, fleet("cdplain", 2, t.minusSeconds(1)));
        DeploymentFlowTest.kafka.publish(Topics.INSTANCES, FleetChanged.key(SERVICE, "cdplain"),
                EventTypes.FLEET_CHANGED, fleet("cdplain", 0, t));

        DeploymentFlowTest.kafka.await(Topics.CDEVENTS, r -> SERVICE.equals(r.key())
                && CdEventTypes.SERVICE_REMOVED.equals(CloudEventsTestClient.header(r, "ce_type")), Duration.ofSeconds(30));
        List<ConsumerRecord<String, String>> records = DeploymentFlowTest.kafka.readAll(Topics.CDEVENTS,
                Duration.ofSeconds(3));

        CdEventSchemas schemas = CdEventSchemas.load();
        assertTrue(schemas.types().containsAll(CdEventTypes.ALL), "the spec has a schema for each: " + schemas.types());
        List<String> invalid = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            String type = CloudEventsTestClient.header(r, "ce_type");
            schemas.problems(type, r.value()).forEach(p -> invalid.add(type + " " + r.key() + ": " + p));
            JsonNode event = JSON.readTree(r.value());
            assertEquals(CloudEventsTestClient.header(r, "ce_id"), event.at("/context/id").asText());
            assertEquals(CloudEventsTestClient.header(r, "ce_source"), event.at("/context/source").asText());
            assertEquals("/stagecraft/release-service", event.at("/context/source").asText());
            assertEquals(Instant.parse(CloudEventsTestClient.header(r, "ce_time")),
                    Instant.parse(event.at("/context/timestamp").asText()));
            assertEquals(expectedKey(type, event.get("subject")), r.key(), "keyed by service or environment");
            assertFalse(r.value().contains(DeploymentFlowTest.uri), "no artifact URI: " + r.value());
        }
        assertEquals(List.of(), invalid, "every CDEvent on the topic holds to its schema");
        // controls: the validator does refuse a missing required field, a bad date-time and a ce_type that lies
        String deployed = records.stream().filter(r -> CdEventTypes.SERVICE_DEPLOYED.equals(
                CloudEventsTestClient.header(r, "ce_type"))).findFirst().orElseThrow().value();
        assertFalse(schemas.problems(CdEventTypes.SERVICE_DEPLOYED, deployed.replace("\"artifactId\"", "\"artifact\""))
                .isEmpty(), "a service.deployed without artifactId is refused");
        assertFalse(schemas.problems(CdEventTypes.SERVICE_DEPLOYED, deployed.replaceFirst(
                "\"timestamp\":\"[^\"]+\"", "\"timestamp\":\"yesterday\"")).isEmpty(), "formats are asserted");
        assertFalse(schemas.problems(CdEventTypes.SERVICE_UPGRADED, deployed).isEmpty(), "ce_type must be context.type");

        String v100 = ArtifactPurl.of(SERVICE, "1.0.0", DeploymentFlowTest.sha);
        String v110 = ArtifactPurl.of(SERVICE, "1.1.0+exp.1", DeploymentFlowTest.sha);
        Set<String> seen = new TreeSet<>();
        expect(records, seen, CdEventTypes.ENVIRONMENT_CREATED, "cdbake", 1, e -> e.at("/content/name").asText().equals("cdbake"));
        expect(records, seen, CdEventTypes.ENVIRONMENT_MODIFIED, "cdbake", 1, e -> true); // the unchanged PUT told nothing
        expect(records, seen, CdEventTypes.ARTIFACT_PUBLISHED, v110, 1, e -> e.at("/content/user").asText().equals("test-admin"));
        expect(records, seen, CdEventTypes.SERVICE_DEPLOYED, SERVICE, 2, e -> e.at("/content/artifactId").asText().equals(v100));
        // 1.1.0 in cdbake; and 1.0.0 rolled out again in cdplain after the failed one
        expect(records, seen, CdEventTypes.SERVICE_UPGRADED, SERVICE, 2,
                e -> e.at("/content/environment/id").asText().equals("cdbake")
                        && e.at("/content/artifactId").asText().equals(v110)
                        || e.at("/content/environment/id").asText().equals("cdplain")
                                && e.at("/content/artifactId").asText().equals(v100));
        // both rollbacks restored 1.0.0: the saga's in cdplain, the alert's in cdbake (the rollback deployment's own
        // rollout is no upgrade)
        expect(records, seen, CdEventTypes.SERVICE_ROLLEDBACK, SERVICE, 2, e -> e.at("/content/artifactId").asText().equals(v100));
        for (String incident : List.of(bad, baking, failed)) {
            expect(records, seen, CdEventTypes.INCIDENT_DETECTED, "incident/" + incident, 1,
                    e -> e.at("/content/service/id").asText().equals(SERVICE)
                            && e.at("/content/artifactId").asText().equals(v110));
            expect(records, seen, CdEventTypes.INCIDENT_RESOLVED, "incident/" + incident, 1, e -> true);
        }
        assertTrue(subject(records, CdEventTypes.INCIDENT_DETECTED, "incident/" + bad).get(0)
                .at("/content/description").asText().contains("verdict FAIL"));
        assertTrue(subject(records, CdEventTypes.INCIDENT_DETECTED, "incident/" + baking).get(0)
                .at("/content/description").asText().contains("alert CdErrorRate"));
        assertTrue(subject(records, CdEventTypes.INCIDENT_RESOLVED, "incident/" + failed).get(0)
                .at("/content/description").asText().contains("deployment " + restore + " rolled 1.0.0 out"));
        assertEquals(3, records.stream().filter(r -> SERVICE.equals(r.key()) && CdEventTypes.INCIDENT_DETECTED.equals(
                CloudEventsTestClient.header(r, "ce_type"))).count(), "the ignored alert told no incident");
        expect(records, seen, CdEventTypes.SERVICE_REMOVED, SERVICE, 1,
                e -> e.at("/content/environment/id").asText().equals("cdplain"));
        assertEquals(new TreeSet<>(CdEventTypes.ALL), seen, "each of the nine types, validated above");
    }

    private static String fleet(String environment, int instances, Instant at) {
        return """
                {"service":"%s","environment":"%s","replicas":%d,"instances":%d,"at":"%s"}
                """.formatted(SERVICE, environment, instances, instances, at);
    }

    /** The service the event is about (an artifact's is its package name), or the environment. */
    private static String expectedKey(String type, JsonNode subject) {
        String id = subject.path("id").asText();
        if (type.startsWith("dev.cdevents.incident.")) {
            return subject.at("/content/service/id").asText();
        }
        if (type.startsWith("dev.cdevents.artifact.")) {
            return id.substring("pkg:generic/".length(), id.indexOf('@'));
        }
        return id;
    }

    /** Exactly {@code count} events of {@code type} about {@code subject}, each passing {@code check} (on the subject). */
    private static void expect(List<ConsumerRecord<String, String>> records, Set<String> seen, String type,
            String subject, int count, Predicate<JsonNode> check) {
        List<JsonNode> found = subject(records, type, subject);
        assertEquals(count, found.size(), type + " about " + subject + ": " + found);
        assertTrue(found.stream().allMatch(check), type + " about " + subject + ": " + found);
        seen.add(type);
    }

    private static List<JsonNode> subject(List<ConsumerRecord<String, String>> records, String type, String subject) {
        return records.stream().filter(r -> type.equals(CloudEventsTestClient.header(r, "ce_type"))).map(r -> {
            try {
                return JSON.readTree(r.value()).get("subject");
            } catch (Exception e) {
                throw new AssertionError(r.value(), e);
            }
        }).filter(s -> subject.equals(s.path("id").asText())).toList();
    }
}
