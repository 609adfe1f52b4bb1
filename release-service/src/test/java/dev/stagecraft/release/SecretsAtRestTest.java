package dev.stagecraft.release;

import static dev.stagecraft.release.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.contracts.secrets.SecretBox;
import dev.stagecraft.contracts.secrets.SecretScope;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Secrets at rest and user-supplied sealed values: environment and webhook secrets are sealed in their tables,
 * a plain row left by an older version is sealed by the re-seal pass, and no sealed-looking value is taken
 * from a user (REST or Kafka command) as config.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class SecretsAtRestTest {
    private static final String PASSWORD = "prod-db-pa55word-xyz";
    private static final SecretBox BOX = SecretBox.ofBase64Key(StagecraftTestInfra.TEST_SECRETS_KEY);

    @Test
    void environmentSecretsAreSealedForTheirEnvironmentAndNameInTheTable() throws SQLException {
        asAdmin("ops").body("{\"order\":70,\"secrets\":{\"DB_PASSWORD\":\"" + PASSWORD + "\"}}")
                .put("/api/v1/environments/rest-vault").then().statusCode(200).body("secrets.DB_PASSWORD", equalTo("***"));
        String stored = storedSecrets("rest-vault").get("DB_PASSWORD");
        assertTrue(stored.startsWith("sealed:v2:default:"), stored);
        assertFalse(stored.contains(PASSWORD));
        assertEquals(PASSWORD, BOX.open(stored, SecretScope.environment("rest-vault", "DB_PASSWORD")));

        // the same value again keeps the same seal: the audit sees no change
        asAdmin("ops").body("{\"order\":70,\"secrets\":{\"DB_PASSWORD\":\"" + PASSWORD + "\"}}")
                .put("/api/v1/environments/rest-vault").then().statusCode(200);
        assertEquals(stored, storedSecrets("rest-vault").get("DB_PASSWORD"));
    }

    @Test
    void plainRowsFromAnOlderVersionAreSealedByTheResealPassWhichIsAuditedAndAdminOnly() throws SQLException {
        asAdmin("ops").body("{\"order\":71}").put("/api/v1/environments/legacy-vault").then().statusCode(200);
        sql("UPDATE environment SET secrets = ? WHERE name = 'legacy-vault'",
                JsonText.write(Map.of("OLD_PASSWORD", PASSWORD)));

        given().auth().oauth2(TestTokens.token("vera", "viewer")).post("/api/v1/admin/secrets/reseal").then()
                .statusCode(403);
        given().auth().oauth2(TestTokens.token("dora", "deployer")).post("/api/v1/admin/secrets/reseal").then()
                .statusCode(403);
        given().auth().oauth2(TestTokens.admin()).post("/api/v1/admin/secrets/reseal").then().statusCode(200)
                .body("sealedFromPlain", greaterThanOrEqualTo(1)).body("primaryKeyId", equalTo("default"));
        String sealed = storedSecrets("legacy-vault").get("OLD_PASSWORD");
        assertTrue(sealed.startsWith("sealed:v2:default:"), sealed);
        assertEquals(PASSWORD, BOX.open(sealed, SecretScope.environment("legacy-vault", "OLD_PASSWORD")));

        // idempotent: a second pass changes nothing
        given().auth().oauth2(TestTokens.admin()).post("/api/v1/admin/secrets/reseal").then().statusCode(200)
                .body("sealedFromPlain", equalTo(0)).body("resealed", equalTo(0));
        assertEquals(sealed, storedSecrets("legacy-vault").get("OLD_PASSWORD"));
        String audit = given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=secrets").then()
                .statusCode(200).body("action", hasItem("secrets.reseal")).body("[0].actor", equalTo("test-admin"))
                .extract().asString();
        assertThat(audit, not(containsString(PASSWORD)));
    }

    @Test
    void webhookSigningSecretsAreSealedAtRest() throws SQLException {
        String secret = "webhook-signing-secret-0123";
        String id = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body("{\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"" + secret + "\",\"events\":[\"*\"]}")
                .post("/api/v1/webhooks").then().statusCode(201).body("secret", equalTo("***")).extract().path("id");
        String stored = query("SELECT secret FROM webhook_subscription WHERE id = ?", id);
        assertTrue(stored.startsWith("sealed:v2:"), stored);
        assertFalse(stored.contains(secret));
        assertEquals(secret, BOX.open(stored, SecretScope.webhook(id)));
        given().auth().oauth2(TestTokens.admin()).delete("/api/v1/webhooks/" + id).then().statusCode(204);
    }

    @Test
    void aSealedLookingValueIsNeverTakenAsConfigFromRestOrACommand() {
        String stolen = BOX.seal(PASSWORD, SecretScope.instance("production", "shop", "DB_PASSWORD"));
        String body = """
                {"service":"sealed-shop","version":"6.6.6","artifact":{"uri":"%s","sha256":"%s"},
                 "config":{"STOLEN":"%s","OLD":"sealed:v1:AAAA"}}""".formatted(Api.artifactUri(), Api.artifactSha(), stolen);
        given().auth().oauth2(TestTokens.token("dora", "deployer:staging")).contentType(ContentType.JSON).body(body)
                .post("/api/v1/releases").then().statusCode(400).contentType("application/problem+json")
                .body("errors.find { it.field == 'config.STOLEN' }.message",
                        equalTo("must not be a sealed value; put secrets in the environment's secrets"))
                .body("errors.field", hasItem("config.OLD"));

        String key = "sealed-" + java.util.UUID.randomUUID();
        Commands.send(EventTypes.COMMAND_CREATE_RELEASE, key, body, TestTokens.command("ci-dora", "deployer:staging"));
        JsonNode outcome = Commands.json(Commands.outcome(key));
        assertFalse(outcome.path("accepted").asBoolean(), outcome.toString());
        assertThat(outcome.path("detail").asText(), startsWith("invalid"));
        assertThat(outcome.toString(), containsString("config.STOLEN"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/releases?service=sealed-shop").then()
                .body("size()", equalTo(0));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        long now = java.time.Instant.now().getEpochSecond();
        String token = TestTokens.signed("{\"iss\":\"stagecraft\",\"aud\":\"grafana\",\"upn\":\"alice\",\"groups\":"
                + "[\"admin\"],\"iat\":" + now + ",\"exp\":" + (now + 300) + ",\"jti\":\"a-1\"}");
        given().auth().oauth2(token).get("/api/v1/environments").then().statusCode(401);
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/environments").then().statusCode(200);
    }

    private static Map<String, String> storedSecrets(String environment) throws SQLException {
        return JsonText.read(query("SELECT secrets FROM environment WHERE name = ?", environment),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {
                });
    }

    private static String query(String sql, String parameter) throws SQLException {
        Map<String, String> jdbc = Api.jdbc();
        try (Connection db = DriverManager.getConnection(jdbc.get("url"), jdbc.get("user"), jdbc.get("password"));
                PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next(), sql + " found nothing for " + parameter);
                return rows.getString(1);
            }
        }
    }

    private static void sql(String sql, String parameter) throws SQLException {
        Map<String, String> jdbc = Api.jdbc();
        try (Connection db = DriverManager.getConnection(jdbc.get("url"), jdbc.get("user"), jdbc.get("password"));
                PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, parameter);
            assertEquals(1, statement.executeUpdate());
        }
    }
}
