package dev.stagecraft.release;

import dev.stagecraft.devinfra.TestTokens;
import static dev.stagecraft.release.Api.as;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Production refuses a release whose migrations have not run in a SUCCEEDED staging deployment first. */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class MigrationsGateTest {

    /** Idempotent PUTs; in @BeforeEach because REST Assured knows the test port only once the app runs. */
    @BeforeEach
    void environments() {
        Api.environment("mig-stage", "{\"order\":60}");
        Api.environment("mig-prod", "{\"order\":61,\"requiresSuccessIn\":\"mig-stage\"}");
    }

    static void succeedIn(String service, String version, String environment) {
        String id = Api.deploy("ci", service, version, environment, "REQUESTED");
        Api.lifecycle(id, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started");
        Api.lifecycle(id, EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "done");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then()
                .body("status", equalTo("SUCCEEDED")));
    }

    @Test
    void untriedMigrationsKeepAReleaseOutOfProduction() {
        Api.release("orders", "1.0.0", "[\"V1__create_orders\"]");
        Api.release("orders", "1.1.0", "[\"V1__create_orders\",\"V2__add_totals\"]");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/releases/orders/1.1.0").then()
                .body("migrations", contains("V1__create_orders", "V2__add_totals"));
        succeedIn("orders", "1.0.0", "mig-stage");

        // every failed gate at once: 1.1.0 never succeeded in staging, and V2 never ran there
        as("ci").body(Api.deployBody("orders", "1.1.0", "mig-prod")).post("/api/v1/deployments").then()
                .statusCode(409).body("errors.field", contains("gate.promotion", "gate.migrations"))
                .body("errors.message", hasItem("migrations V2__add_totals have not run in a SUCCEEDED mig-stage"
                        + " deployment of orders 1.1.0 or an earlier release"));

        succeedIn("orders", "1.1.0", "mig-stage");
        String id = Api.deploy("ci", "orders", "1.1.0", "mig-prod", "REQUESTED");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then()
                .body("gates.name", contains("release", "environment", "promotion", "migrations", "window", "approval",
                        "concurrency"))
                .body("gates.passed", contains(true, true, true, true, true, true, true))
                .body("gates.find { it.name == 'migrations' }.reason", equalTo("migrations V1__create_orders,"
                        + " V2__add_totals ran in a SUCCEEDED mig-stage deployment of orders 1.1.0 or an earlier release"));
    }

    @Test
    void releasesWithoutMigrationsAndStagesWithoutPrerequisitePass() {
        Api.release("plain", "1.0.0", "[]");
        String id = Api.deploy("ci", "plain", "1.0.0", "mig-stage", "REQUESTED");
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then()
                .body("gates.find { it.name == 'migrations' }.reason",
                        equalTo("mig-stage has no prerequisite stage to have tried migrations in"));
    }

    @Test
    void migrationIdsMustBePresentAndUnique() {
        as("ci").body("""
                {"service":"orders","version":"9.0.0","artifact":{"uri":"%s","sha256":"%s"},
                 "migrations":["V1__a","","V1__a"," V3__padded"]}""".formatted(Api.artifactUri(), Api.artifactSha()))
                .post("/api/v1/releases").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("migrations[1]", "migrations[2]", "migrations[3]"));
        as("ci").body("""
                {"service":"orders","version":"9.0.0","artifact":{"uri":"%s","sha256":"%s"},"migrations":"V1"}"""
                .formatted(Api.artifactUri(), Api.artifactSha()))
                .post("/api/v1/releases").then().statusCode(400).body("errors.field", hasItem("migrations"));
    }
}
