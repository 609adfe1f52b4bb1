package dev.stagecraft.inventory.api;

import dev.stagecraft.devinfra.TestTokens;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;

import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.inventory.InventoryTestSupport;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class FleetApiTest {
    private static final String PROBLEM = "application/problem+json";

    @Test
    void aFleetIsStoredAndShownWithItsInstances() {
        String service = InventoryTestSupport.uniqueService("shop");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":3}").put("/api/v1/fleets/" + service + "/staging")
                .then().statusCode(200).body("service", equalTo(service)).body("environment", equalTo("staging"))
                .body("replicas", equalTo(3)).body("instances", empty());
        // its entry point is opened with it
        String routerUrl = given().auth().oauth2(TestTokens.admin()).get("/api/v1/fleets/" + service + "/staging").then()
                .statusCode(200).body("replicas", equalTo(3)).body("instances", empty())
                .body("routerUrl", matchesPattern("http://127\\.0\\.0\\.1:\\d+")).extract().path("routerUrl");

        // a second PUT changes the same fleet, which keeps its entry point
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":0}").put("/api/v1/fleets/" + service + "/staging")
                .then().statusCode(200).body("replicas", equalTo(0)).body("routerUrl", equalTo(routerUrl));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/fleets/" + service + "/staging").then().statusCode(200).body("replicas", equalTo(0));
    }

    @Test
    void badFleetsAreRefusedNamingEveryField() {
        String fleet = "/api/v1/fleets/" + InventoryTestSupport.uniqueService("cart") + "/staging";
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":-1}").put(fleet).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("replicas"))
                .body("errors.message", hasItem(containsString("-1")));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":10001}").put(fleet).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("replicas"))
                .body("errors.message", hasItem("must be between 0 and 10000, was 10001"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{}").put(fleet).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("replicas"))
                .body("errors.message", hasItem("is required"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).put(fleet).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("replicas"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":").put(fleet).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("body"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":\"many\"}").put(fleet).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("replicas"));
        // every violation at once, and nothing written
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"replicas\":-5}").put("/api/v1/fleets/Bad_Name/Prod!")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItems("service", "environment", "replicas"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/fleets/Bad_Name/Prod!").then().statusCode(404);
        given().auth().oauth2(TestTokens.admin()).get(fleet).then().statusCode(404);
    }

    @Test
    void anUnknownFleetIsNotFound() {
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/fleets/" + InventoryTestSupport.uniqueService("ghost") + "/production").then()
                .statusCode(404).contentType(PROBLEM).body("status", equalTo(404))
                .body("detail", containsString("no fleet"));
    }

    @Test
    void onlyDeployersOfTheEnvironmentMayChangeItsFleets() {
        String service = InventoryTestSupport.uniqueService("auth");
        String body = "{\"replicas\":2}";
        given().contentType(ContentType.JSON).body(body).put("/api/v1/fleets/" + service + "/staging")
                .then().statusCode(401).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.expired("dora", "deployer:staging")).contentType(ContentType.JSON).body(body)
                .put("/api/v1/fleets/" + service + "/staging").then().statusCode(401);
        given().auth().oauth2(TestTokens.token("vic", "viewer")).contentType(ContentType.JSON).body(body)
                .put("/api/v1/fleets/" + service + "/staging").then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(TestTokens.token("dora", "deployer:staging")).contentType(ContentType.JSON).body(body)
                .put("/api/v1/fleets/" + service + "/production").then().statusCode(403)
                .body("errors.message", hasItem(containsString("deployer:production")));
        given().auth().oauth2(TestTokens.token("dora", "deployer:staging")).contentType(ContentType.JSON).body(body)
                .put("/api/v1/fleets/" + service + "/staging").then().statusCode(200);
        given().auth().oauth2(TestTokens.token("vic", "viewer")).get("/api/v1/fleets/" + service + "/staging")
                .then().statusCode(200).body("replicas", equalTo(2));
        given().auth().oauth2(TestTokens.token("nobody", "unrelated-group")).get("/api/v1/instances")
                .then().statusCode(403);
    }
}
