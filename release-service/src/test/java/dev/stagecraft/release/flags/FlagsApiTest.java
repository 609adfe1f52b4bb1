package dev.stagecraft.release.flags;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The flags REST API: create, read, list, replace, delete; validation; roles; the audit log's before and after. */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class FlagsApiTest {
    static final String ENV = "flags-api";
    static final String URL = "/api/v1/flags/shop/" + ENV;
    static final String GREETING = """
            {"variants":{"on":true,"off":false},"defaultVariant":"off","state":"ENABLED",
             "rules":[{"when":{"attribute":"plan","op":"equals","value":"pro"},"variant":"on"}]}""";

    @Test
    void aFlagIsCreatedReadListedReplacedAndDeletedAndEveryChangeIsAuditedWithBeforeAndAfter() {
        Flags.environment(ENV);
        Flags.as("dora", "deployer:" + ENV).body(GREETING).put(URL + "/new-greeting").then().statusCode(200)
                .body("key", equalTo("new-greeting")).body("service", equalTo("shop")).body("version", equalTo(0))
                .body("defaultVariant", equalTo("off")).body("rules[0].variant", equalTo("on"))
                .body("updatedBy", equalTo("dora"));
        Flags.as("vic", "viewer").get(URL + "/new-greeting").then().statusCode(200).body("variants.on", equalTo(true));
        Flags.as("vic", "viewer").get(URL).then().statusCode(200).body("key", hasItem("new-greeting"));

        Flags.as("dora", "deployer").body(GREETING.replace("\"off\",\"state\":\"ENABLED\"", "\"on\",\"state\":\"DISABLED\""))
                .put(URL + "/new-greeting").then().statusCode(200).body("version", equalTo(1))
                .body("state", equalTo("DISABLED"));

        Response audit = Flags.as("vic", "viewer").queryParam("subject", "shop/" + ENV + "/new-greeting")
                .get("/api/v1/audit");
        audit.then().statusCode(200);
        assertEquals(List.of("flag.put", "flag.put"), audit.path("action"));
        assertEquals("ENABLED", audit.path("[0].details.before.state"));
        assertEquals("DISABLED", audit.path("[0].details.after.state"));
        org.junit.jupiter.api.Assertions.assertNull((Object) audit.path("[1].details.before"));

        Flags.as("dora", "deployer:" + ENV).delete(URL + "/new-greeting").then().statusCode(204);
        Flags.as("vic", "viewer").get(URL + "/new-greeting").then().statusCode(404)
                .contentType("application/problem+json");
        Flags.as("dora", "deployer:" + ENV).delete(URL + "/new-greeting").then().statusCode(404);
        Response afterDelete = Flags.as("vic", "viewer").queryParam("subject", "shop/" + ENV + "/new-greeting")
                .get("/api/v1/audit");
        assertEquals("flag.delete", afterDelete.path("[0].action"));
        assertEquals("DISABLED", afterDelete.path("[0].details.before.state"));
        org.junit.jupiter.api.Assertions.assertNull((Object) afterDelete.path("[0].details.after"));
    }

    @Test
    void anInvalidFlagIs400NamingEachBadFieldAndNothingIsStored() {
        Flags.environment(ENV);
        Flags.as("dora", "deployer:" + ENV).body("""
                {"variants":{"on":true,"off":"no"},"defaultVariant":"x","state":"ON",
                 "rules":[{"when":{"attribute":"plan","op":"like","value":"pro"},"variant":"maybe"}]}""")
                .put(URL + "/bad-flag").then().statusCode(400).contentType("application/problem+json")
                .body("errors.find { it.field == 'variants.off' }.message", containsString("all variants of a flag have one type"))
                .body("errors.find { it.field == 'defaultVariant' }.message", equalTo("'x' is not one of the variants [on, off]"))
                .body("errors.find { it.field == 'state' }.message", containsString("ENABLED or DISABLED"))
                .body("errors.find { it.field == 'rules[0].when.op' }.message", containsString("must be one of"))
                .body("errors.find { it.field == 'rules[0].variant' }.message", containsString("'maybe'"));
        Flags.as("dora", "deployer:" + ENV).body("{\"variants\":").put(URL + "/bad-flag").then().statusCode(400)
                .contentType("application/problem+json");
        Flags.as("vic", "viewer").get(URL + "/bad-flag").then().statusCode(404);
        Flags.as("dora", "deployer").body(GREETING).put("/api/v1/flags/shop/no-such-env/f").then().statusCode(422)
                .body("errors[0].field", equalTo("environment"));
        Flags.as("dora", "deployer:" + ENV).body("{\"ttl\":\"forever\"}").post(URL + "/tokens").then().statusCode(400)
                .body("errors[0].field", equalTo("ttl"));
    }

    @Test
    void onlyDeployersOfTheEnvironmentAndAdminsChangeFlagsAndEveryRoleReads() {
        Flags.environment(ENV);
        Flags.as("vic", "viewer").body(GREETING).put(URL + "/roles").then().statusCode(403);
        Flags.as("olga", "deployer:elsewhere").body(GREETING).put(URL + "/roles").then().statusCode(403);
        Flags.as("olga", "deployer:elsewhere").body("{}").post(URL + "/tokens").then().statusCode(403);
        Flags.as("apu", "approver").body(GREETING).put(URL + "/roles").then().statusCode(403);
        Flags.as("ada", "admin").body(GREETING).put(URL + "/roles").then().statusCode(200);
        Flags.as("olga", "deployer:elsewhere").get(URL + "/roles").then().statusCode(200);
        Flags.as("vic", "viewer").delete(URL + "/roles").then().statusCode(403);
        io.restassured.RestAssured.given().get(URL).then().statusCode(401);
        Flags.as("ada", "admin").body("{\"ttl\":\"1h\"}").post(URL + "/tokens").then().statusCode(201)
                .body("token", containsString("ofrep_")).body("service", equalTo("shop"))
                .body("environment", equalTo(ENV)).body("ratePerSecond", nullValue());
    }
}
