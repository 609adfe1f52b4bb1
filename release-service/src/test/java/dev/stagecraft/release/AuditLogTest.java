package dev.stagecraft.release;

import dev.stagecraft.devinfra.TestTokens;
import static dev.stagecraft.release.Api.as;
import static dev.stagecraft.release.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Every change leaves an entry; the API only reads them; the database refuses to change them. */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class AuditLogTest {

    @Test
    void recordsChangesNewestFirstAndFiltersThem() {
        asAdmin("auditor-1").body("{\"order\":90,\"config\":{\"A\":\"1\"}}").put("/api/v1/environments/audited").then()
                .statusCode(200);
        asAdmin("auditor-2").body("{\"order\":91,\"config\":{\"A\":\"2\"}}").put("/api/v1/environments/audited").then()
                .statusCode(200);
        Api.release("audited-app", "1.0.0", "[\"V1__init\"]");
        String id = Api.deploy("auditor-1", "audited-app", "1.0.0", "audited", "REQUESTED");
        as("auditor-2").body("{\"reason\":\"stop it\"}").post("/api/v1/deployments/" + id + "/abort").then()
                .statusCode(409); // its saga has not started: nothing changed, nothing audited

        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=audited").then().statusCode(200)
                .body("actor", contains("auditor-2", "auditor-1"))
                .body("[0].details.changes", hasSize(2))
                .body("[0].details.changes.find { it.field == 'config.A' }.from", equalTo("1"))
                .body("[0].details.changes.find { it.field == 'config.A' }.to", equalTo("2"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=audited-app/1.0.0").then()
                .body("action", contains("release.created")).body("[0].subjectType", equalTo("release"))
                .body("[0].details.migrations", contains("V1__init"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=" + id).then().body("action", contains("deployment.requested"))
                .body("[0].details.gates.name", hasItem("window")).body("[0].details.environment", equalTo("audited"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?actor=auditor-1&limit=2").then().body("$", hasSize(2))
                .body("actor", everyItem(equalTo("auditor-1"))).body("[0].action", equalTo("deployment.requested"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "1001", "-1", "ten" })
    void refusesABadLimit(String limit) {
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?limit=" + limit).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("limit"));
    }

    @Test
    void noEndpointChangesAnEntry() {
        given().auth().oauth2(TestTokens.admin()).contentType("application/json").body("{}").put("/api/v1/audit").then().statusCode(405);
        given().auth().oauth2(TestTokens.admin()).delete("/api/v1/audit").then().statusCode(405);
        given().auth().oauth2(TestTokens.admin()).contentType("application/json").body("{}").post("/api/v1/audit").then().statusCode(405);
    }

    @Test
    void theTableRefusesUpdateDeleteAndTruncate() throws SQLException {
        asAdmin("auditor-3").body("{\"order\":92}").put("/api/v1/environments/audited-db").then().statusCode(200);
        Map<String, String> jdbc = Api.jdbc();
        try (Connection db = DriverManager.getConnection(jdbc.get("url"), jdbc.get("user"), jdbc.get("password"));
                Statement sql = db.createStatement()) {
            for (String change : new String[] { "UPDATE audit_entry SET actor = 'mallory'",
                    "DELETE FROM audit_entry WHERE actor = 'auditor-3'", "TRUNCATE audit_entry" }) {
                SQLException refused = assertThrows(SQLException.class, () -> sql.executeUpdate(change), change);
                assertTrue(refused.getMessage().contains("audit_entry is append-only"), refused.getMessage());
            }
            var rows = sql.executeQuery("SELECT count(*) FROM audit_entry WHERE actor = 'auditor-3'");
            rows.next();
            assertEquals(1, rows.getInt(1));
        }
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?actor=auditor-3").then().body("[0].action", equalTo("environment.put"))
                .body("[0].details.changes.field", hasItem("order")).body("[0].subjectId", containsString("audited-db"));
    }
}
