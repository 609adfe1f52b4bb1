package dev.stagecraft.release;

import dev.stagecraft.devinfra.TestTokens;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.platform.artifact.ArtifactStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The release API against a real PostgreSQL and Kafka: creation, immutability, and every kind of bad input. */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class ReleaseApiTest {
    static Path artifact;
    static String sha;

    @BeforeAll
    static void artifact() throws Exception {
        artifact = TestArtifacts.file("release-test", "not really a jar, but bytes with a digest");
        sha = ArtifactStore.sha256(artifact);
    }

    static String release(String service, String version, String uri, String sha256) {
        return """
                {"service":"%s","version":"%s","artifact":{"uri":"%s","sha256":"%s"},"config":{"GREETING":"hi"}}
                """.formatted(service, version, uri, sha256);
    }

    @Test
    void createsAReleaseOnceAndOnlyOnce() {
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(release("shop", "1.0.0", artifact.toUri().toString(), sha))
                .post("/api/v1/releases")
                .then().statusCode(201).body("version", equalTo("1.0.0")).body("config.GREETING", equalTo("hi"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(release("shop", "1.0.0", artifact.toUri().toString(), sha))
                .post("/api/v1/releases")
                .then().statusCode(409).contentType("application/problem+json")
                .body("errors.field", hasItem("version"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/releases?service=shop").then().statusCode(200).body("$", hasSize(1));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/releases/shop/1.0.0").then().statusCode(200).body("artifact.sha256", equalTo(sha));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/releases/shop/9.9.9").then().statusCode(404).contentType("application/problem+json");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad semver | cart | 1.0 | GOOD_URI | GOOD_SHA | 400 | version",
            "leading zero | cart | 01.0.0 | GOOD_URI | GOOD_SHA | 400 | version",
            "sha256 not hex | cart | 1.0.0 | GOOD_URI | xyz | 400 | artifact.sha256",
            "bad service name | Cart! | 1.0.0 | GOOD_URI | GOOD_SHA | 400 | service",
            "ftp artifact | cart | 1.0.0 | ftp://x/y.jar | GOOD_SHA | 400 | artifact.uri",
            "wrong sha256 | cart | 1.0.0 | GOOD_URI | 0000000000000000000000000000000000000000000000000000000000000000 | 422 | artifact.uri",
            "missing artifact file | cart | 1.0.0 | file:/nonexistent/x.jar | GOOD_SHA | 422 | artifact.uri",
            "file URI with a host | cart | 1.0.0 | file://host/x.jar | GOOD_SHA | 400 | artifact.uri",
            "bad store URI | cart | 1.0.0 | stagecraft-artifact:sha256:abc | GOOD_SHA | 400 | artifact.uri",
            "store URI naming another sha | cart | 1.0.0 | stagecraft-artifact:sha256:0000000000000000000000000000000000000000000000000000000000000000 | GOOD_SHA | 400 | artifact.sha256",
            "numeric host | cart | 1.0.0 | http://2130706433/a.jar | GOOD_SHA | 400 | artifact.uri",
    })
    void refusesBadReleases(String name, String service, String version, String uri, String sha256, int status,
            String field) {
        String body = release(service, version, uri.replace("GOOD_URI", artifact.toUri().toString()),
                sha256.replace("GOOD_SHA", sha));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body(body).post("/api/v1/releases")
                .then().statusCode(status).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
    }

    @Test
    void namesEveryProblemAtOnce() {
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"service\":\"\",\"version\":\"x\",\"config\":{\"1BAD\":\"v\"}}")
                .post("/api/v1/releases")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("service")).body("errors.field", hasItem("version"))
                .body("errors.field", hasItem("artifact")).body("errors.field", hasItem("config.1BAD"));
    }

    @Test
    void smokeChecksAreStoredShownAndEveryMistakeNamed() {
        String checks = """
                [{"path":"/api/cart","expectJson":{"/items":"[]"}},{"name":"home","path":"/","expectStatus":200,
                  "expectBodyContains":"version","timeout":"2s"}]""";
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(release("smoked", "1.0.0", artifact.toUri().toString(), sha).strip()
                        .replaceFirst("}$", ",\"smokeChecks\":" + checks.replace("\n", "") + "}"))
                .post("/api/v1/releases").then().statusCode(201)
                .body("smokeChecks[0].path", equalTo("/api/cart"))
                .body("smokeChecks[0].expectJson", org.hamcrest.Matchers.hasEntry("/items", "[]"))
                .body("smokeChecks[1].name", equalTo("home"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/releases/smoked/1.0.0").then().statusCode(200)
                .body("smokeChecks", hasSize(2)).body("smokeChecks[1].expectBodyContains", equalTo("version"));
        String bad = """
                [{"path":"http://169.254.169.254/"},{"path":"/a","expectStatus":700,"expectJson":{"items":"[]","/b":"not json"},
                  "timeout":"1h"},{"expectStatus":200}]""";
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body(release("smoked", "1.0.1", artifact.toUri().toString(), sha).strip()
                        .replaceFirst("}$", ",\"smokeChecks\":" + bad.replace("\n", "") + "}"))
                .post("/api/v1/releases").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("smokeChecks[0].path"))
                .body("errors.field", hasItem("smokeChecks[1].expectStatus"))
                .body("errors.field", hasItem("smokeChecks[1].expectJson.items"))
                .body("errors.field", hasItem("smokeChecks[1].expectJson./b"))
                .body("errors.field", hasItem("smokeChecks[1].timeout"))
                .body("errors.field", hasItem("smokeChecks[2].path"));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/releases/smoked/1.0.1").then().statusCode(404);
    }

    @Test
    void malformedJsonIsA400NotA500() {
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"service\": \"shop\", ").post("/api/v1/releases")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("[1,2]").post("/api/v1/releases")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"service\": {\"a\":1}}").post("/api/v1/releases")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));
    }

    @Test
    void environmentsAreSeededAndEditable() {
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/environments").then().statusCode(200)
                .body("name", hasItem("staging")).body("find { it.name == 'production' }.requiresSuccessIn",
                        equalTo("staging"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"order\":15,\"config\":{\"DATABASE_URL\":\"qa-db:5432/qa\"}}")
                .put("/api/v1/environments/qa").then().statusCode(200).body("config.DATABASE_URL",
                        equalTo("qa-db:5432/qa"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"order\":15,\"requiresSuccessIn\":\"nowhere\"}")
                .put("/api/v1/environments/qa2").then().statusCode(422).body("errors.field", hasItem("requiresSuccessIn"));
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{}")
                .put("/api/v1/environments/qa3").then().statusCode(400).body("errors.field", hasItem("order"));
    }
}
