package dev.stagecraft.release.flags;

import static io.restassured.RestAssured.given;

import dev.stagecraft.devinfra.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** What the flag tests share: an environment, flags put as a deployer, OFREP tokens and OFREP requests. */
final class Flags {
    private Flags() {
    }

    static RequestSpecification as(String user, String... roles) {
        return given().contentType(ContentType.JSON).auth().oauth2(TestTokens.token(user, roles));
    }

    static void environment(String name) {
        as("flag-admin", "admin").body("{\"order\":80}").put("/api/v1/environments/" + name).then().statusCode(200);
    }

    static void put(String service, String environment, String key, String body) {
        as("flag-deployer", "deployer:" + environment).body(body)
                .put("/api/v1/flags/" + service + "/" + environment + "/" + key).then().statusCode(200);
    }

    static String token(String service, String environment, String extra) {
        return as("flag-deployer", "deployer:" + environment).body(extra == null ? "{}" : extra)
                .post("/api/v1/flags/" + service + "/" + environment + "/tokens").then().statusCode(201)
                .extract().path("token");
    }

    static RequestSpecification ofrep(String token) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + token);
    }
}
