package dev.stagecraft.release;

import static dev.stagecraft.release.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.FleetChanged;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * release-service's view of fleets, kept from inventory-service's fleet.changed events played here on the
 * real broker, and the refusals it allows: a blue/green deployment that could not size its green pool is a
 * 400 naming strategy.replicas, over REST and as a command, and a canary on a fleet without instances a 400
 * naming strategy.type. Each test has fleets of its own.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class FleetViewTest {
    static final String ENV = "development";
    static final String CONSUMER = "release-service-fleets";
    static final String BLUE_GREEN = "{\"type\":\"blue-green\"}";
    static final String CANARY = "{\"type\":\"canary\",\"steps\":[{\"weight\":5}]}";

    /** A service of its own with release 1.0.0, so that no deployment of another test holds its slot. */
    static String service() {
        String service = "fv-" + UUID.randomUUID().toString().substring(0, 8);
        Api.release(service, "1.0.0", "[]");
        return service;
    }

    static String deployBody(String service, String strategy) {
        return """
                {"service":"%s","version":"1.0.0","environment":"%s","strategy":%s}
                """.formatted(service, ENV, strategy);
    }

    /** Plays inventory-service: one fleet.changed, under the fleet's key; answers its event id. */
    static String fleetChanged(String service, int replicas, int instances, Instant at) {
        return fleetChanged(UUID.randomUUID().toString(), service, replicas, instances, at);
    }

    static String fleetChanged(String eventId, String service, int replicas, int instances, Instant at) {
        Api.kafka().publish(Topics.INSTANCES, FleetChanged.key(service, ENV), EventTypes.FLEET_CHANGED, eventId, """
                {"service":"%s","environment":"%s","replicas":%d,"instances":%d,"at":"%s"}
                """.formatted(service, ENV, replicas, instances, at));
        return eventId;
    }

    /** Waits until the projection's consumer has taken the event (applied it, or judged it older). */
    static void awaitTaken(String eventId) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> count("SELECT count(*) FROM processed_event WHERE id = ?", CONSUMER + ":" + eventId) == 1);
    }

    /** The stored row as [replicas, instances], or an empty list without one. */
    static List<Integer> row(String service) throws SQLException {
        try (Connection db = connect(); PreparedStatement sql = db.prepareStatement(
                "SELECT replicas, instances FROM fleet_view WHERE service = ? AND environment = ?")) {
            sql.setString(1, service);
            sql.setString(2, ENV);
            try (ResultSet rows = sql.executeQuery()) {
                List<Integer> found = new ArrayList<>();
                if (rows.next()) {
                    found.add(rows.getInt(1));
                    found.add(rows.getInt(2));
                }
                return found;
            }
        }
    }

    static long count(String query, String parameter) throws SQLException {
        try (Connection db = connect(); PreparedStatement sql = db.prepareStatement(query)) {
            sql.setString(1, parameter);
            try (ResultSet rows = sql.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    static Connection connect() throws SQLException {
        Map<String, String> jdbc = Api.jdbc();
        return DriverManager.getConnection(jdbc.get("url"), jdbc.get("user"), jdbc.get("password"));
    }

    static void refused(String service) {
        as("fleet-deployer").body(deployBody(service, BLUE_GREEN)).post("/api/v1/deployments").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("strategy.replicas")))
                .body("errors.message", hasItem("the fleet of " + service + " in " + ENV + " has no instances and 0"
                        + " replicas: set strategy.replicas, or the fleet's replicas with PUT /api/v1/fleets/"
                        + service + "/" + ENV));
    }

    static void accepted(String service, String strategy) {
        as("fleet-deployer").body(deployBody(service, strategy)).post("/api/v1/deployments").then()
                .statusCode(202).body("status", equalTo("REQUESTED"));
    }

    @Test
    void blueGreenOnAnEmptyFleetWithoutReplicasIsA400NamingStrategyReplicas() {
        String service = service();
        awaitTaken(fleetChanged(service, 0, 0, Instant.now()));
        refused(service);
        as("fleet-deployer").queryParam("service", service).get("/api/v1/deployments").then().statusCode(200)
                .body("$", empty());
        // with the green pool's size given, the same fleet is fine
        accepted(service, "{\"type\":\"blue-green\",\"replicas\":2}");
    }

    @Test
    void otherBadFieldsAreNamedInTheSameAnswer() {
        String service = service();
        awaitTaken(fleetChanged(service, 0, 0, Instant.now()));
        as("fleet-deployer").body(deployBody(service, "{\"type\":\"blue-green\",\"scaleDownDelay\":\"soon\"}"))
                .post("/api/v1/deployments").then().statusCode(400)
                .body("errors.field", equalTo(List.of("strategy.scaleDownDelay", "strategy.replicas")));
        // replicas that cannot be read are named once, for what is wrong with them
        as("fleet-deployer").body(deployBody(service, "{\"type\":\"blue-green\",\"replicas\":\"two\"}"))
                .post("/api/v1/deployments").then().statusCode(400)
                .body("errors.field", equalTo(List.of("strategy.replicas")))
                .body("errors[0].message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("fleet")));
    }

    @Test
    void aFleetWithReplicasOrInstancesCanSizeGreen() {
        String withReplicas = service();
        awaitTaken(fleetChanged(withReplicas, 3, 0, Instant.now()));
        accepted(withReplicas, BLUE_GREEN);
        String withInstances = service();
        awaitTaken(fleetChanged(withInstances, 0, 2, Instant.now()));
        accepted(withInstances, BLUE_GREEN);
    }

    @Test
    void aFleetNotSeenYetIsLeftToTheSaga() {
        accepted(service(), BLUE_GREEN);
    }

    @Test
    void rollingIsNotJudgedByTheFleet() {
        String service = service();
        awaitTaken(fleetChanged(service, 0, 0, Instant.now()));
        accepted(service, "{\"type\":\"rolling\"}");
    }

    @Test
    void aCanaryOnAFleetWithoutInstancesIsA400NamingStrategyType() {
        String service = service();
        // replicas are wanted, but nothing runs yet: there is no stable pool to judge the canary against
        awaitTaken(fleetChanged(service, 4, 0, Instant.now()));
        as("fleet-deployer").body(deployBody(service, CANARY)).post("/api/v1/deployments").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("strategy.type")))
                .body("errors[0].message", equalTo("a canary is judged against the stable pool and falls back to it,"
                        + " and the fleet of " + service + " in " + ENV + " has no instances: deploy a first version"
                        + " with rolling or blue-green"));
        as("fleet-deployer").queryParam("service", service).get("/api/v1/deployments").then().statusCode(200)
                .body("$", empty());
        // once the fleet runs, the same canary is let through
        awaitTaken(fleetChanged(service, 4, 4, Instant.now().plusSeconds(1)));
        accepted(service, CANARY);
    }

    @Test
    void aCanaryOnAFleetNotSeenYetIsLeftToTheSaga() {
        accepted(service(), CANARY);
    }

    @Test
    void anOlderEventDoesNotOverwriteANewerOne() throws SQLException {
        String service = service();
        Instant now = Instant.now();
        awaitTaken(fleetChanged(service, 0, 0, now));
        // arrives later, but describes the fleet as it was a minute earlier
        awaitTaken(fleetChanged(service, 3, 0, now.minusSeconds(60)));
        assertEquals(List.of(0, 0), row(service));
        refused(service);
        // a newer one does
        awaitTaken(fleetChanged(service, 3, 0, now.plusSeconds(1)));
        assertEquals(List.of(3, 0), row(service));
        accepted(service, BLUE_GREEN);
    }

    @Test
    void theSameEventTwiceIsAppliedOnce() throws SQLException {
        String service = service();
        Instant at = Instant.now();
        String empty = fleetChanged(service, 0, 0, at);
        awaitTaken(empty);
        // at the same moment, the fleet got replicas: equal times, so the later arrival wins
        awaitTaken(fleetChanged(service, 3, 0, at));
        assertEquals(List.of(3, 0), row(service));
        // the first event again (a redelivery): applied a second time it would empty the fleet again
        fleetChanged(empty, service, 0, 0, at);
        // a stale event behind it on the fleet's partition shows when the repeat has been dealt with
        awaitTaken(fleetChanged(service, 9, 9, at.minusSeconds(60)));
        assertEquals(List.of(3, 0), row(service));
        assertEquals(1, count("SELECT count(*) FROM processed_event WHERE event_id = ?", empty));
        accepted(service, BLUE_GREEN);
    }

    @Test
    void anIncompleteEventIsDeadLetteredNotReadAsAnEmptyFleet() throws SQLException {
        String service = service();
        String value = "{\"service\":\"%s\",\"environment\":\"%s\",\"replicas\":0,\"at\":\"%s\"}"
                .formatted(service, ENV, Instant.now());
        Api.kafka().publish(Topics.INSTANCES, FleetChanged.key(service, ENV), EventTypes.FLEET_CHANGED, value);
        Api.kafka().await(Topics.deadLetter("release-service"), r -> value.equals(r.value()), Duration.ofSeconds(30));
        assertEquals(List.of(), row(service));
        accepted(service, BLUE_GREEN);
    }

    @Test
    void aBlueGreenCommandOnAnEmptyFleetIsRejectedNamingStrategyReplicas() {
        String service = service();
        awaitTaken(fleetChanged(service, 0, 0, Instant.now()));
        String key = "fleet-command-" + UUID.randomUUID();
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, key, deployBody(service, BLUE_GREEN),
                TestTokens.command("ci-fleet", "deployer"));
        var record = Commands.outcome(key);
        assertEquals(EventTypes.COMMAND_REJECTED, Commands.type(record));
        JsonNode outcome = Commands.json(record);
        List<String> fields = new ArrayList<>();
        outcome.path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertEquals(List.of("strategy.replicas"), fields, outcome.toString());
        assertTrue(outcome.path("detail").asText().startsWith("invalid"), outcome.toString());
    }
}
