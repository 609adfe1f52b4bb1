package dev.stagecraft.release;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.TestTokens;
import dev.stagecraft.platform.artifact.ArtifactStore;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * What the governance tests share: requests made as a named user with a bearer token, an artifact, and
 * the saga's side of Kafka.
 */
final class Api {
    private static CloudEventsTestClient kafka;
    private static String uri;
    private static String sha;

    /** A user who may deploy anywhere and approve (but never their own deployments). */
    static RequestSpecification as(String user) {
        return given().contentType(ContentType.JSON).auth().oauth2(TestTokens.token(user, "deployer", "approver"));
    }

    static RequestSpecification asAdmin(String user) {
        return given().contentType(ContentType.JSON).auth().oauth2(TestTokens.token(user, "admin"));
    }

    static synchronized CloudEventsTestClient kafka() {
        if (kafka == null) {
            kafka = new CloudEventsTestClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        }
        return kafka;
    }

    static void environment(String name, String json) {
        asAdmin("env-admin").body(json).put("/api/v1/environments/" + name).then().statusCode(200);
    }

    static void release(String service, String version, String migrationsJson) {
        as("releaser").body("""
                {"service":"%s","version":"%s","artifact":{"uri":"%s","sha256":"%s"},"migrations":%s}
                """.formatted(service, version, artifactUri(), artifactSha(), migrationsJson))
                .post("/api/v1/releases").then().statusCode(201);
    }

    static String deployBody(String service, String version, String environment) {
        return """
                {"service":"%s","version":"%s","environment":"%s","strategy":{"type":"rolling"}}
                """.formatted(service, version, environment);
    }

    static String deploy(String user, String service, String version, String environment, String expectedStatus) {
        return as(user).body(deployBody(service, version, environment)).post("/api/v1/deployments")
                .then().statusCode(202).body("status", equalTo(expectedStatus)).extract().path("id");
    }

    /** Plays rollout-service: one lifecycle fact of deployment {@code id}. */
    static void lifecycle(String id, String type, String status, String message) {
        kafka().publish(Topics.DEPLOYMENTS, id, type, """
                {"deploymentId":"%s","service":"s","environment":"e","version":"v","status":"%s","message":"%s","at":"%s"}
                """.formatted(id, status, message, Instant.now()));
    }

    static ConsumerRecord<String, String> awaitRecord(String topic, String key, String type) {
        return kafka().await(topic, r -> key.equals(r.key()) && type.equals(CloudEventsTestClient.header(r, "ce_type")),
                Duration.ofSeconds(20));
    }

    /** Every deployment.requested published for {@code id} so far (waits {@code settle} for the outbox relay). */
    static List<ConsumerRecord<String, String>> requestedEvents(String id, Duration settle) {
        return kafka().readAll(Topics.DEPLOYMENTS, settle).stream().filter(r -> id.equals(r.key())
                && EventTypes.DEPLOYMENT_REQUESTED.equals(CloudEventsTestClient.header(r, "ce_type"))).toList();
    }

    static synchronized String artifactUri() {
        if (uri == null) {
            try {
                Path artifact = TestArtifacts.file("governance-test", "governed bytes");
                sha = ArtifactStore.sha256(artifact);
                uri = artifact.toUri().toString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return uri;
    }

    static String artifactSha() {
        artifactUri();
        return sha;
    }

    static Map<String, String> jdbc() {
        var config = ConfigProvider.getConfig();
        return Map.of("url", config.getValue("quarkus.datasource.jdbc.url", String.class),
                "user", config.getValue("quarkus.datasource.username", String.class),
                "password", config.getValue("quarkus.datasource.password", String.class));
    }

    private Api() {
    }
}
