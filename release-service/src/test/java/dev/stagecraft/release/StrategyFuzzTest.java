package dev.stagecraft.release;

import static dev.stagecraft.release.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.devinfra.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Canary and blue-green strategies over REST: good ones are stored and shown with their defaults filled in
 * and reach the saga that way; bad ones, from a table and from a fixed seed, are answered 400
 * problem+json naming the field, never a 5xx, and nothing is created.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class StrategyFuzzTest {
    static final long SEED = 2026_1128_0517L;
    static final int PER_SHAPE = 120;
    static final String SERVICE = "strategy-fuzz";

    /** The tests share one release; whichever runs first creates it. */
    static void releaseOnce() {
        as("releaser").body("""
                {"service":"%s","version":"1.0.0","artifact":{"uri":"%s","sha256":"%s"}}
                """.formatted(SERVICE, Api.artifactUri(), Api.artifactSha())).post("/api/v1/releases")
                .then().statusCode(org.hamcrest.Matchers.oneOf(201, 409));
    }

    static String deployBody(String strategy) {
        return """
                {"service":"%s","version":"1.0.0","environment":"development","strategy":%s}
                """.formatted(SERVICE, strategy);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {"type":"canary","steps":[{"weight":0}]}                                   | strategy.steps[0].weight
            {"type":"canary","steps":[{"weight":5},{"weight":101}]}                    | strategy.steps[1].weight
            {"type":"canary","steps":[{"weight":-1}]}                                  | strategy.steps[0].weight
            {"type":"canary","steps":[{"weight":50},{"weight":25}]}                    | strategy.steps[1].weight
            {"type":"canary","steps":[{"weight":5,"analysis":"30 seconds"}]}           | strategy.steps[0].analysis
            {"type":"canary","steps":[{"weight":5,"analysis":"-5s"}]}                  | strategy.steps[0].analysis
            {"type":"canary","steps":[{"weight":5}],"analysis":{"inconclusive":"retry"}} | strategy.analysis.inconclusive
            {"type":"canary","steps":[{"weight":5}],"maxUnavailable":"1"}              | strategy.maxUnavailable
            {"type":"canary","steps":[{"weight":5}],"canaryReplica":2}                 | strategy.canaryReplica
            {"type":"canary","steps":[{"weight":5,"wieght":10}]}                       | strategy.steps[0].wieght
            {"type":"canary","steps":[{"weight":5}],"analysis":{"maxErrorRatee":0.5}}  | strategy.analysis.maxErrorRatee
            {"type":"canary","steps":[null]}                                           | strategy.steps[0]
            {"type":"canary"}                                                          | strategy.steps
            {"type":"blue-green","scaleDownDelay":"30 seconds"}                        | strategy.scaleDownDelay
            {"type":"blue-green","prePromotionAnalysis":"-5s"}                         | strategy.prePromotionAnalysis
            {"type":"blue-green","analysis":{"inconclusive":"ignore"}}                 | strategy.analysis.inconclusive
            {"type":"blue-green","steps":[{"weight":5}]}                               | strategy.steps
            {"type":"blue-green","maxUnavailable":"25%"}                               | strategy.maxUnavailable
            {"type":"blue-green","autoPromote":"yes"}                                  | strategy.autoPromote
            {"type":"blue-green","replicas":1.5}                                       | strategy.replicas
            {"type":"rolling","steps":[{"weight":5}]}                                  | strategy.steps
            {"type":"rolling","maxUnavailable":"1","batch":2}                          | strategy.batch
            "canary"                                                                   | strategy
            """)
    void aBadStrategyIsA400NamingTheField(String strategy, String field) {
        releaseOnce();
        as("strategist").body(deployBody(strategy)).post("/api/v1/deployments").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem(field));
    }

    @Test
    void everyProblemIsNamedInOneAnswer() {
        releaseOnce();
        as("strategist").body(deployBody("""
                {"type":"canary","canaryReplicas":"two","maxUnavailable":"1","colour":"blue",
                 "steps":[{"weight":50},{"weight":20,"analysis":"30 seconds"},{"weight":"all"}],
                 "analysis":{"inconclusive":"shrug","maxErrorRate":"NaN"}}""")).post("/api/v1/deployments").then()
                .statusCode(400).body("errors.field", hasItems("strategy.canaryReplicas", "strategy.maxUnavailable",
                        "strategy.colour", "strategy.steps[1].weight", "strategy.steps[1].analysis",
                        "strategy.steps[2].weight", "strategy.analysis.inconclusive", "strategy.analysis.maxErrorRate"));
    }

    @Test
    void aGoodCanaryIsStoredShownAndSentWithItsDefaults() {
        releaseOnce();
        Api.environment("strategy-shown", "{\"order\":67,\"concurrency\":\"queue\"}");
        String id = as("strategist").body("""
                {"service":"%s","version":"1.0.0","environment":"strategy-shown","strategy":{"type":"canary",
                 "steps":[{"weight":5},{"weight":25,"analysis":"2m","pause":true},{"weight":100}],
                 "analysis":{"maxErrorRate":0.02}}}""".formatted(SERVICE)).post("/api/v1/deployments").then()
                .statusCode(202).body("strategy.canaryReplicas", equalTo(1)).extract().path("id");
        as("strategist").get("/api/v1/deployments/" + id).then().statusCode(200)
                .body("strategy.type", equalTo("canary"))
                .body("strategy.steps.weight", equalTo(List.of(5, 25, 100)))
                .body("strategy.steps.analysis", equalTo(List.of("30s", "2m", "30s")))
                .body("strategy.steps.pause", equalTo(List.of(false, true, false)))
                .body("strategy.analysis.maxErrorRate", equalTo(0.02f))
                .body("strategy.analysis.maxP99Ms", equalTo(500))
                .body("strategy.analysis.inconclusive", equalTo("pause"))
                .body("strategy", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("maxUnavailable")));
        JsonNode requested = Commands.json(Api.awaitRecord(Topics.DEPLOYMENTS, id, EventTypes.DEPLOYMENT_REQUESTED));
        assertEquals(3, requested.at("/strategy/steps").size());
        assertEquals("30s", requested.at("/strategy/steps/0/analysis").asText());
        assertEquals(1, requested.at("/strategy/canaryReplicas").asInt());
        assertEquals(50, requested.at("/strategy/analysis/minRequests").asInt());
    }

    @Test
    void aBadStrategySentAsACommandIsRejectedNamingTheField() {
        releaseOnce();
        String key = "strategy-command-" + UUID.randomUUID();
        Commands.send(EventTypes.COMMAND_REQUEST_DEPLOYMENT, key,
                deployBody("{\"type\":\"canary\",\"steps\":[{\"weight\":5,\"analysis\":\"-5s\"}],\"replicas\":3}"),
                TestTokens.command("ci-strategist", "deployer"));
        var record = Commands.outcome(key);
        assertEquals(EventTypes.COMMAND_REJECTED, Commands.type(record));
        JsonNode outcome = Commands.json(record);
        List<String> fields = new ArrayList<>();
        outcome.path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertTrue(fields.containsAll(List.of("strategy.steps[0].analysis", "strategy.replicas")), fields.toString());
        assertTrue(outcome.path("detail").asText().startsWith("invalid"), outcome.toString());
    }

    @Test
    void malformedCanaryAndBlueGreenStrategiesAreRefusedNeverWithServerErrors() {
        releaseOnce();
        String admin = TestTokens.token("strategy-fuzzer", "admin");
        MalformedBodies bodies = new MalformedBodies(new Random(SEED));
        List<MalformedBodies.Shape> shapes = List.of(MalformedBodies.canaryDeployment(SERVICE, "development"),
                MalformedBodies.blueGreenDeployment(SERVICE, "development"));
        int sent = 0;
        int named = 0;
        int serverErrors = 0;
        List<String> wrong = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < PER_SHAPE * shapes.size(); i++) {
            MalformedBodies.Case body = bodies.next(shapes.get(i % shapes.size()));
            Response answer = io.restassured.RestAssured.given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(body.body()).post("/api/v1/deployments");
            sent++;
            int status = answer.statusCode();
            statuses.merge(status, 1, Integer::sum);
            serverErrors += status >= 500 ? 1 : 0;
            boolean problem = status >= 400 && status < 500
                    && String.valueOf(answer.contentType()).startsWith("application/problem+json");
            String field = singleBreakerField(body.how());
            boolean fieldNamed = field == null || (status == 400 && answer.jsonPath().<String>getList("errors.field")
                    .stream().anyMatch(f -> f.equals(field) || f.startsWith(field + ".") || f.startsWith(field + "[")));
            named += field != null && fieldNamed ? 1 : 0;
            if (!problem || !fieldNamed) {
                wrong.add("[" + body.how() + "] -> " + status + " " + clip(answer.asString()));
            }
        }
        System.out.printf("strategy fuzz: %d malformed canary and blue-green bodies, %d broke one field and had it"
                + " named, %d wrong, %d 5xx; answers by status %s%n", sent, named, wrong.size(), serverErrors, statuses);
        wrong.forEach(w -> System.out.println("  " + w));
        assertEquals(List.of(), wrong);
        assertEquals(0, serverErrors);
        assertTrue(named >= PER_SHAPE / 2, "too few single-field cases: " + named);
        assertFalse(statuses.containsKey(202), "nothing accepted");
        as("strategist").get("/api/v1/deployments?service=" + SERVICE + "&environment=development").then()
                .body("size()", equalTo(0));
    }

    /** "strategy.steps=[5, 50]" names the one field it broke; two breaks and garbage name none. */
    private static String singleBreakerField(String how) {
        if (how.contains(" & ") || !how.contains("=") || how.contains("(parent already broken)")) {
            return null;
        }
        return how.substring(0, how.indexOf('='));
    }

    private static String clip(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
