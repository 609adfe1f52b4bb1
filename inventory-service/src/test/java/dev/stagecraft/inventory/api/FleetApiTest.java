package dev.stagecraft.inventory.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

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
        given().contentType(ContentType.JSON).body("{\"replicas\":3}").put("/api/v1/fleets/" + service + "/staging")
                .then().statusCode(200).body("service", equalTo(service)).body("environment", equalTo("staging"))
                .body("replicas", equalTo(3)).body("instances", empty());
        given().get("/api/v1/fleets/" + service + "/staging").then().statusCode(200)
                .body("replicas", equalTo(3)).body("instances", empty()).body("routerUrl", nullValue());

        // a second PUT changes the same fleet
        given().contentType(ContentType.JSON).body("{\"replicas\":0}").put("/api/v1/fleets/" + service + "/staging")
                .then().statusCode(200).body("replicas", equalTo(0));
        given().get("/api/v1/fleets/" + service + "/staging").then().statusCode(200).body("replicas", equalTo(0));
    }

    @Test
    void badFleetsAreRefusedNamingEveryField() {
        String fleet = "/api/v1/fleets/" + InventoryTestSupport.uniqueService("cart") + "/staging";
        given().contentType(ContentType.JSON).body("{\"replicas\":-1}").put(fleet).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("replicas"))
                .body("errors.message", hasItem(containsString("-1")));
        given().contentType(ContentType.JSON).body("{\"replicas\":101}").put(fleet).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("replicas"));
        given().contentType(ContentType.JSON).body("{}").put(fleet).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("replicas"))
                .body("errors.message", hasItem("is required"));
        given().contentType(ContentType.JSON).put(fleet).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("replicas"));
        given().contentType(ContentType.JSON).body("{\"replicas\":").put(fleet).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("body"));
        given().contentType(ContentType.JSON).body("{\"replicas\":\"many\"}").put(fleet).then().statusCode(400)
                .contentType(PROBLEM).body("errors.field", hasItem("replicas"));
        // every violation at once, and nothing written
        given().contentType(ContentType.JSON).body("{\"replicas\":-5}").put("/api/v1/fleets/Bad_Name/Prod!")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItems("service", "environment", "replicas"));
        given().get("/api/v1/fleets/Bad_Name/Prod!").then().statusCode(404);
        given().get(fleet).then().statusCode(404);
    }

    @Test
    void anUnknownFleetIsNotFound() {
        given().get("/api/v1/fleets/" + InventoryTestSupport.uniqueService("ghost") + "/production").then()
                .statusCode(404).contentType(PROBLEM).body("status", equalTo(404))
                .body("detail", containsString("no fleet"));
    }
}
