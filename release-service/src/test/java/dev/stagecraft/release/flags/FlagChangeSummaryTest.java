package dev.stagecraft.release.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The timeline's line for a flag change, as a table of stored definitions before and after. */
class FlagChangeSummaryTest {
    static final String OFF = "{\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\",\"state\":\"ENABLED\",\"rules\":[]}";
    static final String ON = OFF.replace("\"defaultVariant\":\"off\"", "\"defaultVariant\":\"on\"");
    static final String DISABLED_ON = ON.replace("ENABLED", "DISABLED");
    static final String RULED = OFF.replace("[]", "[{\"variant\":\"on\"}]");
    static final String THREE = OFF.replace("\"off\":false}", "\"off\":false,\"maybe\":true}");

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(null, OFF, "flag f created by ann (version 0): ENABLED, default off, 2 variants, 0 rules"),
                Arguments.of(null, RULED, "flag f created by ann (version 0): ENABLED, default off, 2 variants, 1 rule"),
                Arguments.of(OFF, null, "flag f deleted by ann (was ENABLED, default off)"),
                Arguments.of(OFF, ON, "flag f changed by ann (version 3): defaultVariant off → on"),
                Arguments.of(OFF, DISABLED_ON,
                        "flag f changed by ann (version 3): state ENABLED → DISABLED; defaultVariant off → on"),
                Arguments.of(OFF, RULED, "flag f changed by ann (version 3): rules changed"),
                Arguments.of(RULED, THREE, "flag f changed by ann (version 3): variants changed; rules changed"),
                Arguments.of(OFF, OFF, "flag f changed by ann (version 3): put again unchanged"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("table")
    void oneLineSaysWhatMoved(String before, String after, String expected) throws Exception {
        long version = before == null ? 0 : 3;
        assertEquals(expected, FlagChangeSummary.line("f", version, "ann", tree(before), tree(after)));
    }

    private static JsonNode tree(String json) throws Exception {
        return json == null ? null : new ObjectMapper().readTree(json);
    }
}
