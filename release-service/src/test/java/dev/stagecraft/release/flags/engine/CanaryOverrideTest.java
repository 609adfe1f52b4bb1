package dev.stagecraft.release.flags.engine;

import static dev.stagecraft.release.flags.engine.FlagEvaluatorTest.flag;
import static dev.stagecraft.release.flags.engine.FlagEvaluatorTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A canary's flag overrides as tables: the override wins over state and rules with TARGETING_MATCH and says so in
 * the metadata; no override, or one naming a variant the flag lost, is the flag as stored; a bad context is refused
 * either way. And the request-time check names every unknown flag and variant.
 */
class CanaryOverrideTest {
    static final String BOOL = "{\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\",";
    static final String SPLIT = BOOL + "\"rules\":[{\"split\":[{\"variant\":\"on\",\"percent\":50},"
            + "{\"variant\":\"off\",\"percent\":50}]}]}";

    static Stream<Arguments> table() {
        return Stream.of(
                // flag, context, override variant | expected variant or error, reason, overridden?
                Arguments.of(BOOL + "\"state\":\"ENABLED\"}", "{}", "on", "on", "TARGETING_MATCH", true),
                Arguments.of(BOOL + "\"state\":\"DISABLED\"}", "{}", "on", "on", "TARGETING_MATCH", true),
                Arguments.of(BOOL + "\"rules\":[{\"variant\":\"on\"}]}", "{}", "off", "off", "TARGETING_MATCH", true),
                Arguments.of(SPLIT, "{}", "on", "on", "TARGETING_MATCH", true), // no targetingKey needed
                Arguments.of(BOOL + "\"state\":\"ENABLED\"}", "{}", null, "off", "STATIC", false),
                Arguments.of(BOOL + "\"state\":\"DISABLED\"}", "{}", null, "off", "DISABLED", false),
                Arguments.of(SPLIT, "{}", null, "TARGETING_KEY_MISSING", null, false),
                Arguments.of(BOOL + "\"state\":\"ENABLED\"}", "{}", "gone", "off", "STATIC", false),
                Arguments.of(BOOL + "\"state\":\"ENABLED\"}", "{\"targetingKey\":5}", "on", "INVALID_CONTEXT", null,
                        false),
                Arguments.of(BOOL + "\"state\":\"ENABLED\"}", "[]", "on", "INVALID_CONTEXT", null, false));
    }

    @ParameterizedTest(name = "{0} with {1}, override {2} -> {3}")
    @MethodSource("table")
    void overrideOrStored(String body, String context, String override, String expected, String reason,
            boolean overridden) {
        Evaluation e = CanaryOverride.evaluate(flag(body), json(context), override, "dep-1");
        assertEquals(expected, e.failed() ? e.errorCode().name() : e.variant());
        assertEquals(reason, e.failed() ? null : e.reason().name());
        assertEquals(overridden ? Map.of("override", "canary", "deployment", "dep-1") : Map.of(), e.metadata());
        if (overridden) {
            assertEquals(flag(body).variants().get(expected), e.value());
        }
    }

    static Stream<Arguments> checks() {
        Map<String, FlagDefinition> flags = new LinkedHashMap<>();
        flags.put("new-greeting", flag(BOOL + "\"state\":\"ENABLED\"}"));
        flags.put("theme", flag("{\"variants\":{\"dark\":\"#000\",\"light\":\"#fff\"},\"defaultVariant\":\"dark\"}"));
        return Stream.of(
                Arguments.of(Map.of("new-greeting", "on"), flags, List.of()),
                Arguments.of(ordered("new-greeting", "on", "theme", "light"), flags, List.of()),
                Arguments.of(ordered("new-greting", "on"), flags, List.of(
                        "strategy.flagOverrides.new-greting=flag 'new-greting' does not exist for shop in staging:"
                                + " one of [new-greeting, theme]")),
                Arguments.of(ordered("new-greeting", "yes", "theme", "blue", "theme2", "x"), flags, List.of(
                        "strategy.flagOverrides.new-greeting='yes' is not a variant of flag 'new-greeting': one of"
                                + " [on, off]",
                        "strategy.flagOverrides.theme='blue' is not a variant of flag 'theme': one of [dark, light]",
                        "strategy.flagOverrides.theme2=flag 'theme2' does not exist for shop in staging: one of"
                                + " [new-greeting, theme]")),
                Arguments.of(ordered("a", "on"), Map.of(), List.of(
                        "strategy.flagOverrides.a=flag 'a' does not exist for shop in staging (it has no flags)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checks")
    void unknownFlagsAndVariantsAreNamed(Map<String, String> overrides, Map<String, FlagDefinition> flags,
            List<String> expected) {
        assertEquals(expected, FlagOverrideCheck.problems(overrides, flags, "shop", "staging").entrySet().stream()
                .map(p -> p.getKey() + "=" + p.getValue()).toList());
    }

    @Test
    void noOverridesNoProblems() {
        assertEquals(Map.of(), FlagOverrideCheck.problems(null, Map.of(), "shop", "staging"));
    }

    private static Map<String, String> ordered(String... keyAndVariant) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyAndVariant.length; i += 2) {
            map.put(keyAndVariant[i], keyAndVariant[i + 1]);
        }
        return map;
    }
}
