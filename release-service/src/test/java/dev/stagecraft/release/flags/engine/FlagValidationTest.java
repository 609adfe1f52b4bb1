package dev.stagecraft.release.flags.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad definition, each named by the field it is in. */
class FlagValidationTest {

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of("{\"variants\":{\"on\":true},\"defaultVariant\":\"x\"}", "defaultVariant",
                        "'x' is not one of the variants [on]"),
                Arguments.of("{\"defaultVariant\":\"x\"}", "variants", "is required"),
                Arguments.of("{\"variants\":{\"on\":true,\"n\":\"no\"},\"defaultVariant\":\"on\"}", "variants.n",
                        "is a string, but the first variant is a boolean"),
                Arguments.of("{\"variants\":{\"l\":[1]},\"defaultVariant\":\"l\"}", "variants.l", "must be a boolean"),
                Arguments.of("{\"variants\":{\"on\":true},\"defaultVariant\":\"on\",\"state\":\"ON\"}", "state",
                        "must be ENABLED or DISABLED"),
                Arguments.of("{\"variants\":{\"on\":true},\"defaultVariant\":\"on\",\"colour\":1}", "colour",
                        "is not a field here"),
                Arguments.of("{\"variants\":{\"on\":true},\"defaultVariant\":\"on\",\"rules\":{}}", "rules", "must be a list"),
                Arguments.of("{\"variants\":{\"on\":true},\"defaultVariant\":\"on\",\"rules\":[{\"variant\":\"off\"}]}",
                        "rules[0].variant", "'off' is not one of the variants"),
                Arguments.of("{\"variants\":{\"on\":true},\"defaultVariant\":\"on\",\"rules\":[{}]}", "rules[0]",
                        "needs exactly one of variant and split"),
                Arguments.of("{\"variants\":{\"on\":true},\"defaultVariant\":\"on\",\"rules\":[{\"when\":{\"attribute\":\"a\","
                        + "\"op\":\"like\",\"value\":1},\"variant\":\"on\"}]}", "rules[0].when.op", "must be one of"),
                Arguments.of("{\"variants\":{\"on\":true},\"defaultVariant\":\"on\",\"rules\":[{\"when\":[{\"attribute\":\"a\","
                        + "\"op\":\"in\",\"value\":1}],\"variant\":\"on\"}]}", "rules[0].when[0].value", "in needs a list"),
                Arguments.of("{\"variants\":{\"on\":true},\"defaultVariant\":\"on\",\"rules\":[{\"when\":{\"attribute\":\"a\","
                        + "\"op\":\"less-than\",\"value\":\"3\"},\"variant\":\"on\"}]}", "rules[0].when.value", "needs a number"),
                Arguments.of("{\"variants\":{\"on\":true},\"defaultVariant\":\"on\",\"rules\":[{\"when\":{\"op\":\"equals\","
                        + "\"value\":1},\"variant\":\"on\"}]}", "rules[0].when.attribute", "is required"),
                Arguments.of("{\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"on\",\"rules\":[{\"split\":["
                        + "{\"variant\":\"on\",\"percent\":20},{\"variant\":\"off\",\"percent\":70}]}]}", "rules[0].split",
                        "add up to 90, not 100"),
                Arguments.of("{\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"on\",\"rules\":[{\"split\":["
                        + "{\"variant\":\"on\",\"percent\":20.005},{\"variant\":\"off\",\"percent\":79.995}]}]}",
                        "rules[0].split[0].percent", "at most two decimals"),
                Arguments.of("{\"variants\":{\"on\":true},\"defaultVariant\":\"on\",\"rules\":[{\"split\":["
                        + "{\"variant\":\"maybe\",\"percent\":100}]}]}", "rules[0].split[0].variant", "'maybe' is not one"),
                Arguments.of("[]", "body", "must be a JSON object"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("bad")
    void namesTheBadField(String body, String field, String message) throws Exception {
        FlagValidation.Result result = FlagValidation.check("f", FlagEvaluatorTest.JSON.readTree(body));
        assertTrue(result.problems().containsKey(field), () -> "expected " + field + " in " + result.problems());
        assertTrue(result.problems().get(field).contains(message), () -> result.problems().get(field));
        assertEquals(null, result.definition());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "-x", "a b", "ä"})
    void refusesBadKeys(String key) throws Exception {
        FlagValidation.Result result = FlagValidation.check(key,
                FlagEvaluatorTest.JSON.readTree("{\"variants\":{\"on\":true},\"defaultVariant\":\"on\"}"));
        assertTrue(result.problems().containsKey("key"), result.problems()::toString);
    }
}
