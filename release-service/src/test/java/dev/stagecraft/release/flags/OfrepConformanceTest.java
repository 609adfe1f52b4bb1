package dev.stagecraft.release.flags;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import dev.stagecraft.release.flags.engine.FlagDefinition;
import dev.stagecraft.release.flags.engine.FlagState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * OFREP as ../shared/specs/ofrep/openapi.yaml says: every answer with a body is validated against the schema its
 * status names there, for every reason and every error code, plus ETag/304, 401, 403 and 429.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class OfrepConformanceTest {
    static final String ENV = "ofrep-conf";
    static final String SVC = "conf-svc";
    static boolean ready;

    @Inject
    FlagCache cache;

    static synchronized void flags() {
        if (ready) {
            return;
        }
        Flags.environment(ENV);
        Flags.put(SVC, ENV, "static-bool", "{\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"on\"}");
        Flags.put(SVC, ENV, "disabled", "{\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\",\"state\":\"DISABLED\"}");
        Flags.put(SVC, ENV, "by-plan", """
                {"variants":{"pro":"gold","basic":"grey"},"defaultVariant":"basic",
                 "rules":[{"when":{"attribute":"plan","op":"equals","value":"pro"},"variant":"pro"}]}""");
        Flags.put(SVC, ENV, "limits", "{\"variants\":{\"small\":{\"max\":3},\"big\":{\"max\":30}},\"defaultVariant\":\"small\"}");
        Flags.put(SVC, ENV, "ratio", "{\"variants\":{\"low\":1,\"high\":2.5},\"defaultVariant\":\"high\"}");
        Flags.put(SVC, ENV, "split", """
                {"variants":{"on":true,"off":false},"defaultVariant":"off",
                 "rules":[{"split":[{"variant":"on","percent":20},{"variant":"off","percent":80}]}]}""");
        ready = true;
    }

    record Case(String key, String context, int status, String schema, String field, Object expected) {
    }

    @Test
    void everyReasonAndErrorCodeOfTheSingleEndpointMatchesItsSchema() {
        flags();
        String token = Flags.token(SVC, ENV, null);
        List<Case> cases = List.of(
                new Case("static-bool", "{\"targetingKey\":\"u\"}", 200, "serverEvaluationSuccess", "reason", "STATIC"),
                new Case("disabled", "{\"targetingKey\":\"u\"}", 200, "serverEvaluationSuccess", "reason", "DISABLED"),
                new Case("by-plan", "{\"targetingKey\":\"u\",\"plan\":\"pro\"}", 200, "serverEvaluationSuccess", "value", "gold"),
                new Case("by-plan", "{\"targetingKey\":\"u\",\"plan\":\"pro\"}", 200, "serverEvaluationSuccess", "reason", "TARGETING_MATCH"),
                // no rule matched: OpenFeature's DEFAULT, sent as STATIC because OFREP's enum has no DEFAULT
                new Case("by-plan", "{\"targetingKey\":\"u\",\"plan\":\"free\"}", 200, "serverEvaluationSuccess", "reason", "STATIC"),
                new Case("limits", "{\"targetingKey\":\"u\"}", 200, "serverEvaluationSuccess", "value.max", 3),
                new Case("ratio", "{\"targetingKey\":\"u\"}", 200, "serverEvaluationSuccess", "value", 2.5f),
                new Case("split", "{\"targetingKey\":\"u\"}", 200, "serverEvaluationSuccess", "reason", "SPLIT"),
                new Case("split", "{}", 400, "evaluationFailure", "errorCode", "TARGETING_KEY_MISSING"),
                new Case("static-bool", "{\"targetingKey\":7}", 400, "evaluationFailure", "errorCode", "INVALID_CONTEXT"),
                new Case("nope", "{\"targetingKey\":\"u\"}", 404, "flagNotFound", "errorCode", "FLAG_NOT_FOUND"));
        for (Case c : cases) {
            Response answer = Flags.ofrep(token).body("{\"context\":" + c.context() + "}")
                    .post("/ofrep/v1/evaluate/flags/" + c.key());
            assertEquals(c.status(), answer.statusCode(), () -> c + " → " + answer.asString());
            OfrepSchemas.assertValid(c.schema(), answer.asString());
            assertEquals(c.expected(), answer.path(c.field()), c::toString);
            assertEquals(c.key(), answer.path("key"));
        }
        // and the validator does refuse what the spec forbids
        OfrepSchemas.assertInvalid("serverEvaluationSuccess", "{\"key\":\"k\",\"value\":true,\"reason\":\"DEFAULT\"}");
        OfrepSchemas.assertInvalid("evaluationFailure", "{\"key\":\"k\",\"errorCode\":\"FLAG_NOT_FOUND\"}");
    }

    @Test
    void bodiesThatAreNotRequestsAreParseErrorsOrInvalidContexts() {
        flags();
        String token = Flags.token(SVC, ENV, null);
        Response notJson = Flags.ofrep(token).body("{\"context\":").post("/ofrep/v1/evaluate/flags/static-bool");
        assertEquals(400, notJson.statusCode());
        OfrepSchemas.assertValid("evaluationFailure", notJson.asString());
        assertEquals("PARSE_ERROR", notJson.path("errorCode"));
        Response noContext = Flags.ofrep(token).body("{\"ctx\":{}}").post("/ofrep/v1/evaluate/flags/static-bool");
        assertEquals("INVALID_CONTEXT", noContext.path("errorCode"));
        OfrepSchemas.assertValid("evaluationFailure", noContext.asString());
        Response bulkNotJson = Flags.ofrep(token).body("nope").post("/ofrep/v1/evaluate/flags");
        assertEquals(400, bulkNotJson.statusCode());
        OfrepSchemas.assertValid("bulkEvaluationFailure", bulkNotJson.asString());
        assertEquals("PARSE_ERROR", bulkNotJson.path("errorCode"));
        Response bulkBadContext = Flags.ofrep(token).body("{\"context\":[]}").post("/ofrep/v1/evaluate/flags");
        OfrepSchemas.assertValid("bulkEvaluationFailure", bulkBadContext.asString());
        assertEquals("INVALID_CONTEXT", bulkBadContext.path("errorCode"));
    }

    @Test
    void aDefinitionThatSlippedPastValidationAnswersGeneralNotAValue() {
        flags();
        String token = Flags.token(SVC, ENV, null);
        cache.putUnchecked(new FlagScope(SVC, ENV), new FlagDefinition("broken",
                Map.of("on", new ObjectMapper().getNodeFactory().booleanNode(true)), "gone", FlagState.ENABLED, List.of()));
        Response answer = Flags.ofrep(token).body("{\"context\":{\"targetingKey\":\"u\"}}").post("/ofrep/v1/evaluate/flags/broken");
        assertEquals(400, answer.statusCode());
        OfrepSchemas.assertValid("evaluationFailure", answer.asString());
        assertEquals("GENERAL", answer.path("errorCode"));
        cache.remove(new FlagScope(SVC, ENV), "broken");
    }

    @Test
    void bulkAnswersEveryFlagOfTheTokensScopeWithAnETagAnd304WhileNothingChanged() {
        flags();
        String token = Flags.token(SVC, ENV, null);
        String body = "{\"context\":{\"plan\":\"pro\"}}";
        Response first = Flags.ofrep(token).body(body).post("/ofrep/v1/evaluate/flags");
        assertEquals(200, first.statusCode(), first::asString);
        OfrepSchemas.assertValid("bulkEvaluationSuccess", first.asString());
        String etag = first.header("ETag");
        assertNotNull(etag);
        List<String> keys = first.path("flags.key");
        assertTrue(keys.containsAll(List.of("static-bool", "disabled", "by-plan", "limits", "ratio", "split")), keys::toString);
        // the split without a targetingKey fails alone; the others still answer (partial success)
        assertEquals("TARGETING_KEY_MISSING", first.path("flags.find { it.key == 'split' }.errorCode"));
        assertEquals("gold", first.path("flags.find { it.key == 'by-plan' }.value"));

        Response again = Flags.ofrep(token).header("If-None-Match", etag).body(body).post("/ofrep/v1/evaluate/flags");
        assertEquals(304, again.statusCode());
        assertEquals("", again.asString());

        Response otherContext = Flags.ofrep(token).header("If-None-Match", etag).body("{\"context\":{\"plan\":\"free\"}}")
                .post("/ofrep/v1/evaluate/flags");
        assertEquals(200, otherContext.statusCode(), "another context may get other answers, so not 304");

        Flags.put(SVC, ENV, "static-bool", "{\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}");
        Response changed = Flags.ofrep(token).header("If-None-Match", etag).body(body).post("/ofrep/v1/evaluate/flags");
        assertEquals(200, changed.statusCode());
        assertNotEquals(etag, changed.header("ETag"));
        assertEquals(false, changed.path("flags.find { it.key == 'static-bool' }.value"));
        Flags.put(SVC, ENV, "static-bool", "{\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"on\"}");
    }

    @Test
    void aTokenSeesOnlyItsOwnServiceAndEnvironment() {
        flags();
        String other = Flags.token("other-svc", ENV, null);
        Response answer = Flags.ofrep(other).body("{\"context\":{\"targetingKey\":\"u\"}}").post("/ofrep/v1/evaluate/flags/static-bool");
        assertEquals(404, answer.statusCode());
        Response bulk = Flags.ofrep(other).body("{\"context\":{}}").post("/ofrep/v1/evaluate/flags");
        assertEquals(List.of(), bulk.path("flags"));
    }

    @Test
    void unauthenticatedForgedExpiredAndPlatformTokensAreRefused() throws Exception {
        flags();
        String good = Flags.token(SVC, ENV, null);
        String body = "{\"context\":{\"targetingKey\":\"u\"}}";
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> expected = new java.util.LinkedHashMap<>();
        expected.put("none", 401);
        expected.put("garbage", 401);
        expected.put("forged", 401);
        expected.put("other scope swapped in", 401);
        expected.put("expired", 401);
        expected.put("platform admin JWT", 403);
        expected.put("forged platform JWT", 401);
        String expiring = Flags.token(SVC, ENV, "{\"ttl\":\"1s\"}");
        Thread.sleep(2100);
        for (var e : expected.entrySet()) {
            var request = given().contentType(ContentType.JSON).body(body);
            String token = switch (e.getKey()) {
                case "none" -> null;
                case "garbage" -> "ofrep_garbage";
                case "forged" -> good.substring(0, good.length() - 4) + (good.endsWith("AAAA") ? "BBBB" : "AAAA");
                case "other scope swapped in" -> swapScope(good);
                case "expired" -> expiring;
                case "platform admin JWT" -> TestTokens.admin();
                case "forged platform JWT" -> TestTokens.forged("eve", "admin");
                default -> throw new IllegalStateException();
            };
            if (token != null) {
                request = request.header("Authorization", "Bearer " + token);
            }
            for (String path : List.of("/ofrep/v1/evaluate/flags/static-bool", "/ofrep/v1/evaluate/flags")) {
                int status = request.post(path).statusCode();
                if (status != e.getValue()) {
                    wrong.add(e.getKey() + " " + path + ": " + status);
                }
            }
        }
        assertEquals(List.of(), wrong);
        // X-API-Key, the spec's other scheme, works the same
        assertEquals(200, given().contentType(ContentType.JSON).header("X-API-Key", good).body(body)
                .post("/ofrep/v1/evaluate/flags/static-bool").statusCode());
    }

    /** The same signature over a payload naming another service: must not verify. */
    private static String swapScope(String token) {
        int dot = token.lastIndexOf('.');
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.substring(6, dot)));
        String swapped = payload.replace(SVC, "other-svc");
        return "ofrep_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(swapped.getBytes())
                + token.substring(dot);
    }

    @Test
    void aTokenOverItsRateGets429WithRetryAfter() {
        flags();
        String slow = Flags.token(SVC, ENV, "{\"ratePerSecond\":3}");
        int ok = 0;
        Response limited = null;
        for (int i = 0; i < 10; i++) {
            Response r = Flags.ofrep(slow).body("{\"context\":{\"targetingKey\":\"u\"}}").post("/ofrep/v1/evaluate/flags/static-bool");
            if (r.statusCode() == 429) {
                limited = r;
            } else {
                assertEquals(200, r.statusCode());
                ok++;
            }
        }
        assertNotNull(limited, "10 requests at once on a 3/s token were never refused");
        assertTrue(ok >= 3 && ok < 10, "allowed " + ok);
        assertTrue(Integer.parseInt(limited.header("Retry-After")) >= 1, limited.header("Retry-After"));
        // another token is not held up by this one
        assertEquals(200, Flags.ofrep(Flags.token(SVC, ENV, null)).body("{\"context\":{}}")
                .post("/ofrep/v1/evaluate/flags/static-bool").statusCode());
    }
}
