package dev.stagecraft.release;

import dev.stagecraft.devinfra.TestTokens;
import static dev.stagecraft.release.Api.asAdmin;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The governed environment: every field stored and shown, every mistake named, secrets never shown. */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class EnvironmentGovernanceTest {
    static final String SECRET = "s3cr3t-db-password";

    @Test
    void storesAndShowsEveryGovernanceFieldWithSecretsMasked() {
        asAdmin("ops").body("""
                {"order":80,"requiresApproval":true,"config":{"DATABASE_URL":"db:5432/vault"},
                 "secrets":{"DB_PASSWORD":"%s"},
                 "windows":[{"timezone":"Europe/Berlin","days":["tue","WED"],"from":"09:00","to":"24:00"}],
                 "freezes":[{"from":"2026-12-20","to":"2027-01-05","reason":"year end"}],
                 "concurrency":"queue","concurrencyByService":{"shop":"supersede"}}
                """.formatted(SECRET)).put("/api/v1/environments/vault").then().statusCode(200)
                .body("requiresApproval", equalTo(true)).body("secrets.DB_PASSWORD", equalTo("***"))
                .body("windows[0].days", contains("TUE", "WED")).body("windows[0].to", equalTo("24:00"))
                .body("freezes[0].reason", equalTo("year end")).body("concurrency", equalTo("queue"))
                .body("concurrencyByService.shop", equalTo("supersede"));
        String list = given().auth().oauth2(TestTokens.admin()).get("/api/v1/environments").then().statusCode(200)
                .body("find { it.name == 'vault' }.secrets.DB_PASSWORD", equalTo("***")).extract().asString();
        assertThat(list, not(containsString(SECRET)));

        // "***" keeps the stored value, so GET-edit-PUT does not wipe secrets; the audit shows only masks
        asAdmin("ops").body("""
                {"order":80,"config":{"DATABASE_URL":"db:5432/vault2"},"secrets":{"DB_PASSWORD":"***","API_KEY":"k-123456"}}
                """).put("/api/v1/environments/vault").then().statusCode(200).body("secrets.API_KEY", equalTo("***"));
        String audit = given().auth().oauth2(TestTokens.admin()).get("/api/v1/audit?subject=vault").then().statusCode(200)
                .body("action", contains("environment.put", "environment.put"))
                .body("[0].actor", equalTo("ops")).body("[0].details.created", equalTo(false))
                .body("[0].details.changes.field", hasItems("requiresApproval", "windows", "freezes", "concurrency",
                        "config.DATABASE_URL", "secrets.API_KEY"))
                .body("[0].details.changes.field", not(hasItem("secrets.DB_PASSWORD")))
                .body("[0].details.changes.find { it.field == 'secrets.API_KEY' }.to", equalTo("***"))
                .body("[1].details.created", equalTo(true)).extract().asString();
        assertThat(audit, not(containsString(SECRET)));
        assertThat(audit, not(containsString("k-123456")));
    }

    @Test
    void secretsReachTheInstancesButNoAnswerTimelineOrAuditEntry() throws Exception {
        Api.environment("secret-stage", """
                {"order":81,"config":{"MODE":"strict"},"secrets":{"DB_PASSWORD":"%s"}}""".formatted(SECRET));
        Api.release("vaulted", "1.0.0", "[]");
        String id = Api.deploy("alice", "vaulted", "1.0.0", "secret-stage", "REQUESTED");
        // the saga's start (services only) carries the secret apart from config, sealed for this environment,
        // service and name; deployment.requested on the followers' topic is the same request with the secret masked
        var start = Api.awaitRecord(Topics.SAGA_STARTS, id, EventTypes.SAGA_START_REQUESTED);
        var requested = Api.awaitRecord(Topics.DEPLOYMENTS, id, EventTypes.DEPLOYMENT_REQUESTED);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var followed = json.readTree(requested.value());
        assertEquals("***", followed.at("/release/secrets/DB_PASSWORD").asText(), requested.value());
        assertThat(requested.value(), not(containsString(SECRET)));
        assertThat(requested.value(), not(containsString(dev.stagecraft.contracts.secrets.SecretBox.SEALED)));
        assertThat(start.value(), not(containsString(SECRET)));
        assertEquals(followed, dev.stagecraft.platform.secrets.SecretMasking.masked(json.readTree(start.value())),
                "the twins differ in the secrets' values only");
        var release = json.readTree(start.value()).path("release");
        assertTrue(release.at("/config/DB_PASSWORD").isMissingNode(), "secrets never travel as config");
        String sealed = release.at("/secrets/DB_PASSWORD").asText();
        var box = dev.stagecraft.contracts.secrets.SecretBox
                .ofBase64Key(dev.stagecraft.devinfra.StagecraftTestInfra.TEST_SECRETS_KEY);
        assertEquals(SECRET, box.open(sealed,
                dev.stagecraft.contracts.secrets.SecretScope.instance("secret-stage", "vaulted", "DB_PASSWORD")));
        assertThrows(IllegalArgumentException.class, () -> box.open(sealed,
                dev.stagecraft.contracts.secrets.SecretScope.instance("staging", "vaulted", "DB_PASSWORD")));
        assertThat(requested.value(), containsString("\"MODE\":\"strict\""));

        // a lifecycle message that quotes the secret is masked in the timeline and the reasons
        Api.lifecycle(id, EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS", "started");
        Api.lifecycle(id, EventTypes.DEPLOYMENT_FAILED, "FAILED", "instance exited: password " + SECRET + " refused");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(TestTokens.admin()).get("/api/v1/deployments/" + id).then()
                .body("status", equalTo("FAILED")).body("reasons[0]", equalTo("instance exited: password *** refused")));
        for (String path : new String[] { "/api/v1/deployments/" + id, "/api/v1/deployments?environment=secret-stage",
                "/api/v1/environments", "/api/v1/audit?limit=1000" }) {
            assertThat(path, given().auth().oauth2(TestTokens.admin()).get(path).then().statusCode(200).extract().asString(), not(containsString(SECRET)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown time zone      | {'order':1,'windows':[{'timezone':'Mars/Base','days':['TUE'],'from':'09:00','to':'16:00'}]} | windows[0].timezone",
            "misspelt day           | {'order':1,'windows':[{'timezone':'UTC','days':['TUE','FRY'],'from':'09:00','to':'16:00'}]} | windows[0].days[1]",
            "from after to          | {'order':1,'windows':[{'timezone':'UTC','days':['TUE'],'from':'16:00','to':'09:00'}]} | windows[0]",
            "not a time             | {'order':1,'windows':[{'timezone':'UTC','days':['TUE'],'from':'9am','to':'16:00'}]} | windows[0].from",
            "days not a list        | {'order':1,'windows':[{'timezone':'UTC','days':'TUE','from':'09:00','to':'16:00'}]} | windows[0].days",
            "not a date             | {'order':1,'freezes':[{'from':'2026-02-30','to':'2026-03-01','reason':'x'}]} | freezes[0].from",
            "freeze ends first      | {'order':1,'freezes':[{'from':'2026-03-02','to':'2026-03-01','reason':'x'}]} | freezes[0]",
            "freeze without reason  | {'order':1,'freezes':[{'from':'2026-03-01','to':'2026-03-01'}]} | freezes[0].reason",
            "unknown mode           | {'order':1,'concurrency':'yolo'} | concurrency",
            "unknown service mode   | {'order':1,'concurrencyByService':{'shop':'later'}} | concurrencyByService.shop",
            "bad service name       | {'order':1,'concurrencyByService':{'Shop!':'queue'}} | concurrencyByService.Shop!",
            "secret also in config  | {'order':1,'config':{'A':'1'},'secrets':{'A':'2'}} | secrets.A",
            "mask with nothing kept | {'order':1,'secrets':{'NEW':'***'}} | secrets.NEW",
            "sealed value in config | {'order':1,'config':{'STOLEN':'sealed:v2:default:AAAA'}} | config.STOLEN",
            "sealed value as secret | {'order':1,'secrets':{'STOLEN':'sealed:v1:AAAA'}} | secrets.STOLEN",
            "bad secret name        | {'order':1,'secrets':{'1X':'v'}} | secrets.1X",
            "approval not boolean   | {'order':1,'requiresApproval':'maybe'} | requiresApproval",
            "window as one string   | {'order':1,'windows':['Tue-Thu 09:00-16:00 Europe/Berlin']} | windows[0]",
    })
    void namesEveryMistake(String name, String body, String field) {
        asAdmin("ops").body(body.replace('\'', '"')).put("/api/v1/environments/bad-env").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem(field))
                .body("errors.message", everyItem(not(containsString("dev.stagecraft"))));
    }

    @Test
    void namesEveryMistakeInOneAnswer() {
        asAdmin("ops").body("""
                {"windows":[{"timezone":"Nowhere/Land","days":["XYZ"],"from":"10:00","to":"10:00"}],
                 "freezes":[{"from":"2026-1-1","to":"2026-01-02"}],"concurrency":"maybe"}""")
                .put("/api/v1/environments/bad-env").then().statusCode(400)
                .body("errors.field", hasItems("order", "windows[0].timezone", "windows[0].days[0]", "windows[0]",
                        "freezes[0].from", "freezes[0].reason", "concurrency"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/environments").then().body("name", not(hasItem("bad-env")));
    }
}
