package dev.stagecraft.health.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.stagecraft.health.provider.PrometheusText.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrometheusTextTest {

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("a counter with labels", "http_server_requests_total{status=\"200\",path=\"/\"} 11",
                        new Sample("http_server_requests_total", Map.of("status", "200", "path", "/"), 11)),
                Arguments.of("no labels", "up 1", new Sample("up", Map.of(), 1)),
                Arguments.of("empty label set", "up{} 1", new Sample("up", Map.of(), 1)),
                Arguments.of("exponent and a timestamp", "x_sum{a=\"b\"} 4.35764E-4 1712345678000",
                        new Sample("x_sum", Map.of("a", "b"), 4.35764E-4)),
                Arguments.of("+Inf bucket", "x_bucket{le=\"+Inf\"} 9", new Sample("x_bucket", Map.of("le", "+Inf"), 9)),
                Arguments.of("value +Inf", "g +Inf", new Sample("g", Map.of(), Double.POSITIVE_INFINITY)),
                Arguments.of("value -Inf", "g -Inf", new Sample("g", Map.of(), Double.NEGATIVE_INFINITY)),
                Arguments.of("escapes in a label value", "g{path=\"/a\\\"b\\\\c\\nd\"} 2",
                        new Sample("g", Map.of("path", "/a\"b\\c\nd"), 2)),
                Arguments.of("commas and braces inside a value", "g{q=\"a,b}\",r=\"x\"} 3",
                        new Sample("g", Map.of("q", "a,b}", "r", "x"), 3)),
                Arguments.of("spaces and a trailing comma", "g{ a = \"1\" , } 4", new Sample("g", Map.of("a", "1"), 4)),
                Arguments.of("carriage return", "g 5\r", new Sample("g", Map.of(), 5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void readsASample(String description, String line, Sample expected) {
        assertEquals(List.of(expected), PrometheusText.parse(line), description);
    }

    @Test
    void nanIsAValue() {
        assertTrue(Double.isNaN(PrometheusText.parse("g NaN").get(0).value()));
    }

    @Test
    void skipsCommentsAndBlankLinesAndKeepsOnlyWantedNames() {
        String text = """
                # HELP http_server_requests_total Requests.
                # TYPE http_server_requests_total counter
                http_server_requests_total{status="200"} 7

                sample_app_info{version="1.0.0"} 1
                """;
        assertEquals(List.of(new Sample("http_server_requests_total", Map.of("status", "200"), 7)),
                PrometheusText.parse(text, "http_server_requests_total"::equals));
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("no value", "g{a=\"1\"}"),
                Arguments.of("not a number", "g abc"),
                Arguments.of("unterminated label value", "g{a=\"1} 2"),
                Arguments.of("unquoted label value", "g{a=1} 2"),
                Arguments.of("missing separator", "g{a=\"1\" b=\"2\"} 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void aBrokenLineRejectsTheScrape(String description, String line) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusText.parse("ok 1\n" + line + "\n"));
        assertTrue(e.getMessage().startsWith("line 2 is not a Prometheus sample"), e.getMessage());
    }
}
