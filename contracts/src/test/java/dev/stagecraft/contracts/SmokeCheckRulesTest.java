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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // what                     | method | header         | value                  | body    | expect json | field (- = valid)
            "a POST with a JSON body    | POST   | -              | -                      | object  | -           | -",
            "a POST with an array       | POST   | -              | -                      | array   | -           | -",
            "a POST without a body      | POST   | -              | -                      | -       | -           | -",
            "a HEAD                     | HEAD   | -              | -                      | -       | -           | -",
            "a GET with a header        | GET    | Accept         | application/json       | -       | /items      | -",
            "a bearer token             | -      | Authorization  | Bearer abc.def         | -       | -           | -",
            "lower-case method          | post   | -              | -                      | -       | -           | s[0].method",
            "DELETE                     | DELETE | -              | -                      | -       | -           | s[0].method",
            "a HEAD judged by its body  | HEAD   | -              | -                      | -       | /items      | s[0].method",
            "a body on a GET            | GET    | -              | -                      | object  | -           | s[0].body",
            "a body that is a string    | POST   | -              | -                      | text    | -           | s[0].body",
            "a space in a header name   | -      | X Key          | v                      | -       | -           | s[0].headers.X Key",
            "a colon in a header name   | -      | X-Key:         | v                      | -       | -           | s[0].headers.X-Key:",
            "an empty header name       | -      | ''             | v                      | -       | -           | s[0].headers.",
            "Host                       | -      | Host           | evil.example           | -       | -           | s[0].headers.Host",
            "content-length             | -      | content-length | 3                      | -       | -           | s[0].headers.content-length",
            "a line break in a value    | -      | X-Key          | 'a\\r\\nX-Other: b'      | -       | -           | s[0].headers.X-Key",
            "a sealed value             | -      | X-Key          | sealed:v2:k:QUJD       | -       | -           | s[0].headers.X-Key",
            "what views show            | -      | X-Key          | ***                    | -       | -           | s[0].headers.X-Key",
            "no value                   | -      | X-Key          | -                      | -       | -           | s[0].headers.X-Key",
    })
    void methodHeadersAndBody(String what, String method, String header, String value, String body, String pointer,
            String field) {
        Map<String, String> headers = new java.util.HashMap<>();
        if (header != null) {
            headers.put(header, value == null ? null : value.replace("\\r", "\r").replace("\\n", "\n"));
        }
        Object payload = body == null ? null : switch (body) {
            case "object" -> Map.of("sku", "x-1", "count", 2);
            case "array" -> List.of(1, 2);
            default -> "just text";
        };
        SmokeCheck check = new SmokeCheck(null, "/api/cart", null, null, pointer == null ? null : Map.of(pointer, "[]"),
                null, method, headers, payload);
        assertEquals(field == null ? List.of() : List.of(field), fields(List.of(check)));
    }

    @Test
    void headersAreBoundedAndNamedOnceWhateverTheirCase() {
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i <= SmokeCheckRules.MAX_HEADERS; i++) {
            many.put("X-H" + i, "v");
        }
        assertEquals(List.of("s[0].headers"), fields(List.of(new SmokeCheck(null, "/a", null, null, null, null, null,
                many, null))));
        assertEquals(List.of("s[0].headers.x-key"), fields(List.of(new SmokeCheck(null, "/a", null, null, null, null,
                null, Map.of("X-Key", "1", "x-key", "2"), null))));
        assertEquals("POST /api/quote", new SmokeCheck(null, "/api/quote", null, null, null, null, "POST", null,
                Map.of()).label());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // what                                 | release's        | deployment's | runs (label=path)
            "none at all                            | -                | -            | ''",
            "the release's only                     | /a=1;/b=1        | -            | /a=1;/b=1",
            "the deployment's only                  | -                | /c=2         | /c=2",
            "added after the release's              | /a=1;/b=1        | /c=2         | /a=1;/b=1;/c=2",
            "one named alike replaces it in place   | /a=1;/b=1;/c=1   | /b=2         | /a=1;/b=2;/c=1",
            "replaced and added                     | /a=1             | /a=2;/d=2    | /a=2;/d=2",
    })
    void aDeploymentsChecksAddToTheReleasesAndReplaceThoseNamedAlike(String what, String release, String deployment,
            String runs) {
        assertEquals(runs, describe(SmokeCheckRules.combined(checks(release), checks(deployment))));
    }

    @Test
    void theReleasesAndTheDeploymentsTogetherAreBounded() {
        List<SmokeCheck> release = new ArrayList<>();
        for (int i = 0; i < SmokeCheckRules.MAX_CHECKS; i++) {
            release.add(new SmokeCheck(null, "/p" + i, null, null, null, null));
        }
        assertEquals(List.of(), SmokeCheckRules.checkCombined(release, List.of(release.get(3)), "smokeChecks"),
                "a replacement adds nothing");
        assertEquals(List.of("smokeChecks"), SmokeCheckRules.checkCombined(release,
                List.of(new SmokeCheck(null, "/one-more", null, null, null, null)), "smokeChecks").stream()
                .map(StrategyRules.Problem::field).toList());
    }

    /** "/a=1;/b=2": checks of path /a expecting status 201, of /b expecting 202 (the status tells whose it is). */
    private static List<SmokeCheck> checks(String text) {
        if (text == null) {
            return null;
        }
        List<SmokeCheck> list = new ArrayList<>();
        for (String one : text.split(";")) {
            String[] parts = one.split("=");
            list.add(new SmokeCheck(null, parts[0], 200 + Integer.parseInt(parts[1]), null, null, null));
        }
        return list;
    }

    private static String describe(List<SmokeCheck> checks) {
        return String.join(";", checks.stream().map(c -> c.path() + "=" + (c.status() - 200)).toList());
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
