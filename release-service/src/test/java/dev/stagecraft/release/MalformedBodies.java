package dev.stagecraft.release;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Generates request bodies an endpoint must refuse, from a valid base body and, per field, values that
 * field can never take ("breakers"), plus syntactic garbage: truncated JSON, bytes that are not UTF-8,
 * nesting deeper than any parser allows, JSON that is not an object, huge strings. Seeded, so a failing
 * case can be replayed. Shared by the REST and the command fuzz tests: command data is the REST body.
 */
final class MalformedBodies {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Breaker value: leave the field out. */
    static final Object REMOVE = new Object() {
        @Override
        public String toString() {
            return "<removed>";
        }
    };
    /** Breaker value: a string of 100 000 to 200 000 characters. */
    static final Object HUGE = new Object() {
        @Override
        public String toString() {
            return "<huge>";
        }
    };

    /** Values the field at {@code path} ("artifact.uri") can never take: each one alone makes the body invalid. */
    record Breaker(String path, List<Object> values) {
        static Breaker of(String path, Object... values) {
            return new Breaker(path, Arrays.asList(values));
        }
    }

    /** One generated body and how it was made. */
    record Case(String how, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What an endpoint takes: a valid body, its breakers, and which bare JSON texts it refuses. */
    record Shape(String name, ObjectNode base, List<Breaker> breakers, List<String> refusedTexts) {
    }

    private final Random random;

    MalformedBodies(Random random) {
        this.random = random;
    }

    Case next(Shape shape) {
        int roll = random.nextInt(100);
        if (roll < 55) {
            ObjectNode body = shape.base().deepCopy();
            return new Case(break1(body, shape), bytes(body));
        }
        if (roll < 65) {
            ObjectNode body = shape.base().deepCopy();
            String how = break1(body, shape) + " & " + break1(body, shape);
            return new Case(how, bytes(body));
        }
        if (roll < 75) {
            String text = shape.base().toString();
            int cut = 1 + random.nextInt(text.length() - 1);
            return new Case("truncated at " + cut, text.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        }
        if (roll < 83) {
            byte[] noise = new byte[1 + random.nextInt(2000)];
            random.nextBytes(noise);
            noise[0] = (byte) (0x80 | noise[0]); // never valid UTF-8 at its start, so never accidentally JSON
            return new Case("random bytes", noise);
        }
        if (roll < 88) {
            String open = random.nextBoolean() ? "[" : "{\"a\":";
            return new Case("nested 5000 deep", open.repeat(5000).getBytes(StandardCharsets.UTF_8));
        }
        String literal = shape.refusedTexts().get(random.nextInt(shape.refusedTexts().size()));
        return new Case("literal " + literal, literal.getBytes(StandardCharsets.UTF_8));
    }

    private String break1(ObjectNode body, Shape shape) {
        Breaker breaker = shape.breakers().get(random.nextInt(shape.breakers().size()));
        Object value = breaker.values().get(random.nextInt(breaker.values().size()));
        String[] path = breaker.path().split("\\.");
        JsonNode parent = body;
        for (int i = 0; i < path.length - 1; i++) {
            parent = parent.path(path[i]);
        }
        if (!(parent instanceof ObjectNode object)) {
            return breaker.path() + " (parent already broken)";
        }
        String field = path[path.length - 1];
        if (value == REMOVE) {
            object.remove(field);
        } else if (value == HUGE) {
            object.put(field, huge());
        } else {
            object.set(field, JSON.valueToTree(value));
        }
        return breaker.path() + "=" + shortly(value);
    }

    String huge() {
        char[] text = new char[100_000 + random.nextInt(100_000)];
        for (int i = 0; i < text.length; i++) {
            text[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(text);
    }

    private static String shortly(Object value) {
        String text = String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    static byte[] bytes(JsonNode body) {
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    // --- the shapes of the four bodies ------------------------------------------------------------------

    /** Bodies every endpoint that needs an object refuses. */
    static final List<String> NOT_AN_OBJECT = List.of("[]", "[1,2]", "42", "true", "\"text\"", "{", "}", "{]", "nul",
            "{\"a\" 1}", "{'single':'quotes'}");

    static Shape release(String service) {
        ObjectNode base = object("""
                {"service":"%s","version":"1.0.0","artifact":{"uri":"%s","sha256":"%s"},
                 "config":{"A":"b"},"migrations":["V1__init"]}""".formatted(service, Api.artifactUri(),
                Api.artifactSha()));
        String otherSha = "0".repeat(64);
        return new Shape("POST /api/v1/releases", base, List.of(
                Breaker.of("service", REMOVE, null, "", "Bad Name", "9lives", "UPPER", 42, List.of(), Map.of(), HUGE,
                        "nul\u0000byte"),
                Breaker.of("version", REMOVE, null, "", "1.0", "latest", "01.0.0", 1.5, List.of(), Map.of(), HUGE),
                Breaker.of("artifact", REMOVE, null, "file:/x.jar", List.of(), 42),
                Breaker.of("artifact.uri", REMOVE, null, "", "ftp://x/y.jar", "file:relative.jar", "file://host/x.jar",
                        "http:opaque", "file:/no/such/artifact.jar", "https://", List.of(), Map.of(), HUGE),
                Breaker.of("artifact.sha256", REMOVE, null, "abc", "z".repeat(64), otherSha, 42, List.of(), Map.of()),
                Breaker.of("config", "text", List.of(), 42, Map.of("1BAD", "x"), Map.of("K", List.of()),
                        Map.of("K", Map.of()), Map.of("bad-name", "x")),
                Breaker.of("migrations", "V1", 42, Map.of(), Arrays.asList((Object) null), List.of(""),
                        List.of(" V1"), List.of("V1", "V1"), List.of(List.of()))),
                concat(NOT_AN_OBJECT, "{}", "null", ""));
    }

    /** {@code service} 1.0.0 must exist; {@code environment} must let the base through. */
    static Shape deployment(String service, String environment) {
        ObjectNode base = object("""
                {"service":"%s","version":"1.0.0","environment":"%s","strategy":{"type":"rolling","maxUnavailable":"1"}}
                """.formatted(service, environment));
        return new Shape("POST /api/v1/deployments", base, List.of(
                Breaker.of("service", REMOVE, null, "", "Bad Name", "no-such-service", List.of(), Map.of(), HUGE),
                Breaker.of("version", REMOVE, null, "", "9.9.9", List.of(), Map.of(), HUGE),
                Breaker.of("environment", REMOVE, null, "", "moon", List.of(), Map.of(), HUGE),
                Breaker.of("strategy", REMOVE, null, "rolling", List.of(), 42),
                Breaker.of("strategy.type", REMOVE, null, "", "yolo", "canary", "blue-green", List.of(), Map.of()),
                Breaker.of("strategy.maxUnavailable", "0", "0%", "101%", "-1", "abc", "", List.of(), Map.of()),
                // an admin may break the glass, but only with a reason of at most 500 characters
                Breaker.of("override", "now", List.of(), 42, Map.of("reason", ""), Map.of("reason", "x".repeat(501)),
                        Map.of("reason", List.of()))),
                concat(NOT_AN_OBJECT, "{}", "null", ""));
    }

    /**
     * A canary deployment of {@code service} 1.0.0 whose strategy is broken one field at a time; every
     * breaker value is refused by the strategy's own checks, whatever the gates would say.
     */
    static Shape canaryDeployment(String service, String environment) {
        ObjectNode base = object("""
                {"service":"%s","version":"1.0.0","environment":"%s","strategy":{"type":"canary","canaryReplicas":2,
                 "steps":[{"weight":5,"analysis":"30s"},{"weight":50,"analysis":"1m","pause":true},{"weight":100}],
                 "analysis":{"maxErrorRate":0.01,"maxP99Ms":400,"maxErrorRatio":2.0,"minRequests":20,
                 "inconclusive":"fail","interval":"5s"}}}""".formatted(service, environment));
        List<Object> tooMany = new ArrayList<>();
        for (int i = 1; i <= 21; i++) {
            tooMany.add(Map.of("weight", i));
        }
        return new Shape("POST /api/v1/deployments (canary)", base, List.of(
                Breaker.of("strategy.type", REMOVE, null, "", "yolo", "Canary", List.of(), Map.of(), 42),
                Breaker.of("strategy.canaryReplicas", 0, -1, 101, 2.5, "two", List.of(), Map.of()),
                Breaker.of("strategy.steps", REMOVE, null, List.of(), "5,50,100", 42, Map.of("weight", 5), tooMany,
                        List.of(5, 50), Arrays.asList((Object) null), List.of(Map.of("weight", 50), Map.of("weight", 20)),
                        List.of(Map.of("weight", 25), Map.of("weight", 25)), List.of(Map.of("weight", 0)),
                        List.of(Map.of("weight", 101)), List.of(Map.of("weight", -5)), List.of(Map.of("weight", "five")),
                        List.of(Map.of("weight", 5.5)), List.of(Map.of("analysis", "30s")),
                        List.of(Map.of("weight", 5, "analysis", "30 seconds")),
                        List.of(Map.of("weight", 5, "analysis", "-5s")), List.of(Map.of("weight", 5, "analysis", "7h")),
                        List.of(Map.of("weight", 5, "pause", "maybe")), List.of(Map.of("weight", 5, "wieght", 6))),
                Breaker.of("strategy.analysis", "strict", 42, List.of(), Map.of("inconclusive", "retry"),
                        Map.of("maxErrorRate", 1.5), Map.of("maxErrorRatio", 0.5), Map.of("minRequests", 0),
                        Map.of("interval", "often"), Map.of("maxErrorRatee", 0.1), Map.of("maxErrorRate", "NaN"),
                        Map.of("maxP99Ms", List.of())),
                Breaker.of("strategy.analysis.inconclusive", "retry", "PAUSE", "", 42, List.of(), HUGE),
                Breaker.of("strategy.analysis.maxErrorRate", -0.1, 1.5, "NaN", "lots", List.of()),
                Breaker.of("strategy.analysis.interval", "50ms", "often", "-5s", 5),
                // fields of the other strategies, and a misspelt one of its own
                Breaker.of("strategy.maxUnavailable", "1", "25%"),
                Breaker.of("strategy.replicas", 2),
                Breaker.of("strategy.autoPromote", true, false),
                Breaker.of("strategy.scaleDownDelay", "30s"),
                Breaker.of("strategy.canaryReplica", 2)),
                concat(NOT_AN_OBJECT, "{}", "null", ""));
    }

    /** A blue-green deployment of {@code service} 1.0.0, broken one strategy field at a time. */
    static Shape blueGreenDeployment(String service, String environment) {
        ObjectNode base = object("""
                {"service":"%s","version":"1.0.0","environment":"%s","strategy":{"type":"blue-green","replicas":2,
                 "prePromotionAnalysis":"30s","postPromotionAnalysis":"1m","syntheticRequests":50,
                 "autoPromote":false,"scaleDownDelay":"10s","analysis":{"maxErrorRate":0.02}}}"""
                .formatted(service, environment));
        List<Object> badWindows = List.of("30 seconds", "-5s", "0s", "7h", "", "1.5m", 30, List.of(), Map.of(), HUGE);
        return new Shape("POST /api/v1/deployments (blue-green)", base, List.of(
                Breaker.of("strategy.type", REMOVE, null, "", "blue_green", "BlueGreen", List.of(), 42),
                Breaker.of("strategy.replicas", 0, -1, 101, 2.5, "two", List.of(), Map.of()),
                new Breaker("strategy.prePromotionAnalysis", badWindows),
                new Breaker("strategy.postPromotionAnalysis", badWindows),
                Breaker.of("strategy.syntheticRequests", -1, 10_001, 2.5, "many", List.of()),
                Breaker.of("strategy.autoPromote", "yes", "maybe", List.of(), Map.of()),
                Breaker.of("strategy.scaleDownDelay", "25h", "30 seconds", "-5s", "", "soon", List.of()),
                Breaker.of("strategy.analysis", "strict", List.of(), Map.of("inconclusive", "retry"),
                        Map.of("maxP99Ms", 0), Map.of("baselineErrorFloor", 2), Map.of("maxP99Ratio", 0.5),
                        Map.of("minRequests", -1), Map.of("maxP99", 300)),
                Breaker.of("strategy.steps", List.of(Map.of("weight", 5)), List.of()),
                Breaker.of("strategy.canaryReplicas", 1),
                Breaker.of("strategy.maxUnavailable", "1"),
                Breaker.of("strategy.green", "yes")),
                concat(NOT_AN_OBJECT, "{}", "null", ""));
    }

    static Shape environment(String name) {
        ObjectNode base = object("""
                {"order":70,"requiresSuccessIn":"staging","config":{"A":"b"},"requiresApproval":false,
                 "windows":[{"timezone":"Europe/Berlin","days":["MON","TUE"],"from":"09:00","to":"16:00"}],
                 "freezes":[{"from":"2026-12-20","to":"2027-01-05","reason":"year end"}],
                 "secrets":{"S":"v"},"concurrency":"queue","concurrencyByService":{"svc":"reject"}}""");
        Map<String, Object> window = Map.of("timezone", "UTC", "days", List.of("MON"), "from", "09:00", "to", "16:00");
        return new Shape("PUT /api/v1/environments/{name}", base, List.of(
                Breaker.of("order", REMOVE, null, "", "abc", List.of(), Map.of(), 1e40),
                Breaker.of("requiresSuccessIn", "no-such-stage", name, List.of(), Map.of()),
                Breaker.of("config", "text", List.of(), Map.of("1BAD", "x"), Map.of("K", Map.of()),
                        Map.of("S", "clash-with-secret")),
                Breaker.of("requiresApproval", "maybe", List.of(), Map.of()),
                Breaker.of("windows", "text", List.of(42), Arrays.asList((Object) null),
                        List.of(with(window, "timezone", "Mars/Base")), List.of(with(window, "days", List.of("FUNDAY"))),
                        List.of(with(window, "from", "25:00")), List.of(with(window, "to", "08:00")),
                        List.of(with(window, "days", "MON"))),
                Breaker.of("freezes", "text", Arrays.asList((Object) null),
                        List.of(Map.of("from", "2026-12-20", "to", "2027-01-05")),
                        List.of(Map.of("from", "2026-13-01", "to", "2027-01-05", "reason", "x")),
                        List.of(Map.of("from", "soon", "to", "2027-01-05", "reason", "x"))),
                Breaker.of("secrets", "text", List.of(), Map.of("A", "clash-with-config"), Map.of("NEW", "***"),
                        Map.of("1BAD", "x")),
                Breaker.of("concurrency", "nonsense", "", 42, List.of(), Map.of()),
                Breaker.of("concurrencyByService", "text", List.of(), Map.of("svc", "bogus"),
                        Map.of("Bad Name", "queue"))),
                concat(NOT_AN_OBJECT, "{}", "null", ""));
    }

    /**
     * The approve body: its only field is optional, so an empty body, {}, null and any string, number
     * or boolean comment would be accepted; only these are refused.
     */
    static Shape approval() {
        ObjectNode base = object("{\"comment\":\"looks good\"}");
        return new Shape("POST /api/v1/deployments/{id}/approve", base, List.of(
                Breaker.of("comment", List.of(), Map.of(), List.of("a"), "x".repeat(1001), HUGE, "nul\u0000byte")),
                List.of("[]", "[1,2]", "42", "true", "{", "}", "{]", "nul", "{\"a\" 1}", "{'single':'quotes'}"));
    }

    /** Command data of {@code command.approve-deployment}: the approve body plus the deployment's id. */
    static Shape approveCommand(String deploymentId) {
        ObjectNode base = object("{\"deploymentId\":\"" + deploymentId + "\",\"comment\":\"looks good\"}");
        List<Breaker> breakers = new ArrayList<>(approval().breakers());
        breakers.add(Breaker.of("deploymentId", REMOVE, null, "", "not-a-uuid", 42, List.of(), Map.of(), HUGE,
                UUID.nameUUIDFromBytes(deploymentId.getBytes(StandardCharsets.UTF_8)).toString()));
        return new Shape("command.approve-deployment", base, breakers, concat(NOT_AN_OBJECT, "{}", "null", ""));
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static List<String> concat(List<String> list, String... more) {
        List<String> all = new ArrayList<>(list);
        all.addAll(List.of(more));
        return all;
    }
}
