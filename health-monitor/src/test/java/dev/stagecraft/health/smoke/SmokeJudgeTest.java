package dev.stagecraft.health.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.stagecraft.contracts.SmokeCheck;

/** What a smoke check makes of an answer: nothing when it passes, else what it expected and what it got. */
class SmokeJudgeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // what                       | status | contains | pointer   | expected | got | body                       | problem (- = pass)
            "the default: a 200           | -      | -        | -         | -        | 200 | anything                   | -",
            "a 500                        | -      | -        | -         | -        | 500 | oops                       | expected HTTP 200, got 500",
            "the status asked for         | 204    | -        | -         | -        | 204 | ''                         | -",
            "body fragment there          | -      | items    | -         | -        | 200 | '{\"items\":[]}'           | -",
            "body fragment missing        | -      | items    | -         | -        | 200 | '{\"error\":\"down\"}'     | 'expected the body to contain \"items\", got \"{\"error\":\"down\"}\"'",
            "empty body                   | -      | items    | -         | -        | 200 | ''                         | 'expected the body to contain \"items\", got an empty body'",
            "JSON value equal             | -      | -        | /items    | []       | 200 | '{\"items\":[]}'           | -",
            "JSON equal, other spacing    | -      | -        | /a/0/b    | '{\"c\": 1}' | 200 | '{\"a\":[{\"b\":{\"c\":1}}]}' | -",
            "JSON number is not a string  | -      | -        | /n        | 3        | 200 | '{\"n\":\"3\"}'            | 'expected /n to be 3, got \"3\"'",
            "JSON value differs           | -      | -        | /items    | []       | 200 | '{\"items\":null}'         | expected /items to be [], got null",
            "JSON pointer missing         | -      | -        | /items    | []       | 200 | '{}'                       | 'expected /items to be [], but it is missing'",
            "not JSON at all              | -      | -        | /items    | []       | 200 | <html>down</html>          | 'expected a JSON body, got \"<html>down</html>\"'",
            "status and body both wrong   | -      | ok       | -         | -        | 503 | busy                       | 'expected HTTP 200, got 503; expected the body to contain \"ok\", got \"busy\"'",
    })
    void judges(String what, Integer status, String contains, String pointer, String expected, int got, String body,
            String problem) {
        SmokeCheck check = new SmokeCheck(null, "/api/cart", status, contains,
                pointer == null ? null : Map.of(pointer, expected), null);
        assertEquals(problem, SmokeJudge.problem(check, got, body).orElse(null));
    }

    @org.junit.jupiter.api.Test
    void quotesOneLine() {
        assertEquals("a b c", SmokeJudge.quote("a\n  b\tc "));
    }

    @org.junit.jupiter.api.Test
    void quotesAreCut() {
        assertEquals("x".repeat(SmokeJudge.QUOTED) + "…", SmokeJudge.quote("x".repeat(500)));
    }
}
