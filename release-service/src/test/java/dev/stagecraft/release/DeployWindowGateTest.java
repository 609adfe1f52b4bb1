package dev.stagecraft.release;

import dev.stagecraft.devinfra.TestTokens;
import static dev.stagecraft.release.Api.as;
import static dev.stagecraft.release.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Deploy windows and freezes judged at a fixed "now" (TestClock), break-glass by an admin, and the
 * window judged again when a deployment is approved.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class DeployWindowGateTest {
    static final String SCHEDULE = """
            "windows":[{"timezone":"Europe/Berlin","days":["TUE","WED","THU"],"from":"09:00","to":"16:00"}],
            "freezes":[{"from":"2026-12-20","to":"2027-01-05","reason":"year end"}]""";
    static final Instant MONDAY = Instant.parse("2026-11-30T10:00:00Z");
    static final Instant TUESDAY_0930 = Instant.parse("2026-12-01T08:30:00Z");
    static final Instant IN_THE_FREEZE = Instant.parse("2026-12-22T10:00:00Z");

    @Inject
    TestClock clock;

    /** Idempotent PUTs; in @BeforeEach because REST Assured knows the test port only once the app runs. */
    @BeforeEach
    void environments() {
        Api.environment("window-prod", "{\"order\":70," + SCHEDULE + "}");
        Api.environment("window-approval", "{\"order\":71,\"requiresApproval\":true," + SCHEDULE + "}");
    }

    @AfterEach
    void realTimeAgain() {
        clock.reset();
    }

    @Test
    void outsideTheWindowTheRequestIsRefusedWithTheNextOpenTime() {
        Api.release("clock-app", "1.0.0", "[]");
        clock.set(MONDAY);
        as("dave").body(Api.deployBody("clock-app", "1.0.0", "window-prod")).post("/api/v1/deployments").then()
                .statusCode(409).contentType("application/problem+json")
                .body("errors.field", hasItem("gate.window"))
                .body("errors.message", hasItem("window-prod is closed: outside Tue–Thu 09:00–16:00 Europe/Berlin;"
                        + " next open 2026-12-01T09:00+01:00"));
        clock.set(IN_THE_FREEZE);
        as("dave").body(Api.deployBody("clock-app", "1.0.0", "window-prod")).post("/api/v1/deployments").then()
                .statusCode(409).body("errors.message", hasItem("window-prod is frozen until 2027-01-05 (year end);"
                        + " next open 2027-01-06T09:00+01:00"));
        clock.set(TUESDAY_0930);
        String id = Api.deploy("dave", "clock-app", "1.0.0", "window-prod", "REQUESTED");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then()
                .body("gates.find { it.name == 'window' }.reason",
                        equalTo("window-prod is open: inside Tue–Thu 09:00–16:00 Europe/Berlin"));
    }

    @Test
    void anAdminBreaksTheGlassWithAReasonAndTheOverrideIsAudited() {
        Api.release("hotfix-app", "1.0.1", "[]");
        clock.set(IN_THE_FREEZE);
        String body = """
                {"service":"hotfix-app","version":"1.0.1","environment":"window-prod","strategy":{"type":"rolling"},
                 "override":{"reason":"%s"}}""";
        as("dave").body(body.formatted("customers cannot pay")).post("/api/v1/deployments").then().statusCode(403)
                .contentType("application/problem+json").body("errors.field", hasItem("override"));
        asAdmin("erin").body(body.formatted(" ")).post("/api/v1/deployments").then().statusCode(400)
                .body("errors.field", hasItem("override.reason"));
        String id = asAdmin("erin").body(body.formatted("customers cannot pay")).post("/api/v1/deployments").then()
                .statusCode(202).body("status", equalTo("REQUESTED"))
                .body("gates.find { it.name == 'window' }.passed", equalTo(true))
                .body("gates.find { it.name == 'window' }.reason", startsWith(
                        "overridden by erin: customers cannot pay (window-prod is frozen until 2027-01-05"))
                .body("timeline[0].message", containsString("deploy window overridden: customers cannot pay"))
                .extract().path("id");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=" + id).then().statusCode(200)
                .body("[0].action", equalTo("deployment.requested")).body("[0].actor", equalTo("erin"))
                .body("[0].overrideReason", equalTo("customers cannot pay"))
                .body("[0].details.gates.find { it.name == 'window' }.reason", startsWith("overridden by erin"));
    }

    @Test
    void anApprovalIsJudgedAgainstTheWindowWhenItIsGiven() {
        Api.release("approved-app", "3.0.0", "[]");
        clock.set(TUESDAY_0930);
        String id = Api.deploy("alice", "approved-app", "3.0.0", "window-approval", "AWAITING_APPROVAL");
        clock.set(Instant.parse("2026-12-01T15:30:00Z")); // 16:30 in Berlin: closed
        as("bob").post("/api/v1/deployments/" + id + "/approve").then().statusCode(409)
                .body("errors.field", hasItem("gate.window"))
                .body("errors.message", hasItem(containsString("next open 2026-12-02T09:00+01:00")));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then().body("status", equalTo("AWAITING_APPROVAL"));
        clock.set(Instant.parse("2026-12-02T08:00:00Z"));
        as("bob").post("/api/v1/deployments/" + id + "/approve").then().statusCode(202)
                .body("status", equalTo("REQUESTED"))
                .body("gates.find { it.name == 'window' }.reason", containsString("(judged again at approval)"));
    }
}
