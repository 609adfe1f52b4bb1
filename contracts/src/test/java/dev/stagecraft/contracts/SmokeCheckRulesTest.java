package dev.stagecraft.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which smoke checks a release may declare, and the field each problem is named by. */
class SmokeCheckRulesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // what                 | name | path                 | status | contains | pointer | expected | timeout | field (- = valid)
            "just a path            | -    | /api/cart            | -      | -        | -       | -        | -       | -",
            "everything             | cart | /api/cart?x=1&y=%20  | 204    | items    | /items  | []       | 250ms   | -",
            "root pointer           | -    | /                    | -      | -        | ''      | {}       | -       | -",
            "no path                | -    | -                    | -      | -        | -       | -        | -       | s[0].path",
            "blank path             | -    | ' '                  | -      | -        | -       | -        | -       | s[0].path",
            "absolute URL           | -    | http://169.254.169.254/ | -   | -        | -       | -        | -       | s[0].path",
            "another host           | -    | //evil.example/x     | -      | -        | -       | -        | -       | s[0].path",
            "relative path          | -    | api/cart             | -      | -        | -       | -        | -       | s[0].path",
            "space in path          | -    | /a b                 | -      | -        | -       | -        | -       | s[0].path",
            "fragment               | -    | /a#b                 | -      | -        | -       | -        | -       | s[0].path",
            "status too low         | -    | /a                   | 99     | -        | -       | -        | -       | s[0].expectStatus",
            "status too high        | -    | /a                   | 600    | -        | -       | -        | -       | s[0].expectStatus",
            "empty fragment         | -    | /a                   | -      | ''       | -       | -        | -       | s[0].expectBodyContains",
            "blank name             | ' '  | /a                   | -      | -        | -       | -        | -       | s[0].name",
            "pointer without slash  | -    | /a                   | -      | -        | items   | []       | -       | s[0].expectJson.items",
            "timeout too short      | -    | /a                   | -      | -        | -       | -        | 10ms    | s[0].timeout",
            "timeout too long       | -    | /a                   | -      | -        | -       | -        | 2m      | s[0].timeout",
            "timeout not a duration | -    | /a                   | -      | -        | -       | -        | soon    | s[0].timeout",
    })
    void oneCheck(String what, String name, String path, Integer status, String contains, String pointer,
            String expected, String timeout, String field) {
        Map<String, String> json = pointer == null ? null : Map.of(pointer, expected);
        List<String> fields = SmokeCheckRules.check(List.of(new SmokeCheck(name, path, status, contains, json, timeout)),
                "s").stream().map(StrategyRules.Problem::field).toList();
        assertEquals(field == null ? List.of() : List.of(field), fields);
    }

    @Test
    void twoChecksOfOnePathNeedNamesAndTheirNumberIsBounded() {
        SmokeCheck cart = new SmokeCheck(null, "/api/cart", null, null, null, null);
        assertEquals(List.of("s[1].name"), fields(List.of(cart, cart)));
        assertEquals(List.of(), fields(List.of(cart, new SmokeCheck("cart again", "/api/cart", 200, null, null, null))));
        List<SmokeCheck> many = new ArrayList<>();
        for (int i = 0; i <= SmokeCheckRules.MAX_CHECKS; i++) {
            many.add(new SmokeCheck(null, "/p" + i, null, null, null, null));
        }
        assertEquals(List.of("s"), fields(many));
        assertEquals(List.of(), fields(null));
    }

    @Test
    void defaultsAndLabels() {
        SmokeCheck plain = new SmokeCheck(null, "/api/cart", null, null, null, null);
        assertEquals("GET /api/cart", plain.label());
        assertEquals(200, plain.status());
        assertEquals(java.time.Duration.ofSeconds(5), plain.timeoutDuration());
        assertEquals("cart", new SmokeCheck("cart", "/api/cart", 201, null, null, "1s").label());
    }

    private static List<String> fields(List<SmokeCheck> checks) {
        return SmokeCheckRules.check(checks, "s").stream().map(StrategyRules.Problem::field).toList();
    }
}
