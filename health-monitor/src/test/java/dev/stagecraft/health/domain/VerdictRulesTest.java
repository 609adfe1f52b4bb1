package dev.stagecraft.health.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;

import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.ProbeMeasurement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VerdictRulesTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no instances at all",
                        List.of(), List.of(),
                        "FAIL", "nothing to verify: the step reported no instances"),
                Arguments.of("every instance failed to change",
                        List.of(failed("i-1", "disk full")), List.of(),
                        "FAIL", "nothing to verify: no instance was changed; i-1 (127.0.0.1:1001) was not changed:"
                                + " disk full"),
                Arguments.of("one instance, both probes pass",
                        List.of(ok("i-1")), List.of(live("i-1", 30), ready("i-1", 420)),
                        "PASS", "instance i-1 (127.0.0.1:1001) live and ready (readiness in 0.4s)"),
                Arguments.of("two instances pass; the slowest readiness is reported",
                        List.of(ok("i-1"), ok("i-2")),
                        List.of(live("i-1", 10), ready("i-1", 1250), live("i-2", 10), ready("i-2", 300)),
                        "PASS", "all 2 instances live and ready (readiness in 1.3s max)"),
                Arguments.of("readiness answers 503 until the deadline",
                        List.of(ok("i-1"), ok("i-3")),
                        List.of(live("i-1", 5), ready("i-1", 5), live("i-3", 5),
                                new ProbeMeasurement("i-3", "127.0.0.1:1003", "readiness", false, 40, 503, 10_000,
                                        "HTTP 503")),
                        "FAIL", "readiness of i-3 (127.0.0.1:1003) failed: 40 attempts over 10.0s, last answer HTTP 503"),
                Arguments.of("liveness never answered",
                        List.of(ok("i-1")),
                        List.of(new ProbeMeasurement("i-1", "127.0.0.1:1001", "liveness", false, 1, null, 2_000,
                                "no answer within 2000ms"), ready("i-1", 5)),
                        "FAIL", "liveness of i-1 (127.0.0.1:1001) failed: 1 attempt over 2.0s, no answer: no answer"
                                + " within 2000ms"),
                Arguments.of("healthy probes do not hide an instance inventory could not change",
                        List.of(ok("i-1"), failed("i-2", null)), List.of(live("i-1", 5), ready("i-1", 5)),
                        "FAIL", "i-2 (127.0.0.1:1002) was not changed: inventory gave no reason"),
                Arguments.of("a changed instance without measurements is no evidence",
                        List.of(ok("i-1")), List.of(live("i-1", 5)),
                        "FAIL", "readiness of i-1 (127.0.0.1:1001) was not measured"),
                Arguments.of("several problems are all named",
                        List.of(failed("i-1", "boom"), ok("i-2")),
                        List.of(new ProbeMeasurement("i-2", "127.0.0.1:1002", "liveness", false, 3, 500, 600, "HTTP 500"),
                                new ProbeMeasurement("i-2", "127.0.0.1:1002", "readiness", false, 3, 503, 600, "HTTP 503")),
                        "FAIL", "3 problems: i-1 (127.0.0.1:1001) was not changed: boom; liveness of i-2 (127.0.0.1:1002)"
                                + " failed: 3 attempts over 0.6s, last answer HTTP 500; readiness of i-2 (127.0.0.1:1002)"
                                + " failed: 3 attempts over 0.6s, last answer HTTP 503"),
                Arguments.of("ready, and its two smoke checks pass",
                        List.of(ok("i-1")), List.of(live("i-1", 5), ready("i-1", 400), smoke("i-1", "GET /api/cart", null),
                                smoke("i-1", "stock", null)),
                        "PASS", "instance i-1 (127.0.0.1:1001) live and ready (readiness in 0.4s), 2 smoke checks passed"),
                Arguments.of("a failed smoke check is named with what it expected and got",
                        List.of(ok("i-1"), ok("i-2")), List.of(live("i-1", 5), ready("i-1", 5),
                                smoke("i-1", "GET /api/cart", null), live("i-2", 5), ready("i-2", 5),
                                smoke("i-2", "GET /api/cart", "expected HTTP 200, got 500")),
                        "FAIL", "smoke check 'GET /api/cart' of i-2 (127.0.0.1:1002) failed: expected HTTP 200, got 500"),
                Arguments.of("a long list of problems is cut short",
                        List.of(failed("i-1", "x"), failed("i-2", "x"), failed("i-3", "x"), failed("i-4", "x"),
                                failed("i-5", "x"), failed("i-6", "x"), failed("i-7", "x"), ok("i-8")),
                        List.of(live("i-8", 1), ready("i-8", 1)),
                        "FAIL", "7 problems: i-1 (127.0.0.1:1001) was not changed: x; i-2 (127.0.0.1:1002) was not"
                                + " changed: x; i-3 (127.0.0.1:1003) was not changed: x; i-4 (127.0.0.1:1004) was not"
                                + " changed: x; i-5 (127.0.0.1:1005) was not changed: x; and 2 more"),
                Arguments.of("a batch of 10,000 measured in reverse order, all ready",
                        batch(10_000), measuredInReverse(10_000, null),
                        "PASS", "all 10000 instances live and ready (readiness in 0.0s max)"),
                Arguments.of("a batch of 10,000 with one instance not ready",
                        batch(10_000), measuredInReverse(10_000, "i-7777"),
                        "FAIL", "readiness of i-7777 (127.0.0.1:8777) failed: 1 attempt over 0.0s, last answer HTTP 503"));
    }

    private static List<InstanceOutcome> batch(int size) {
        return java.util.stream.IntStream.rangeClosed(1, size).mapToObj(n -> ok("i-" + n)).toList();
    }

    /** Liveness and readiness of i-1 … i-size, last instance first; {@code notReady} answers 503. */
    private static List<ProbeMeasurement> measuredInReverse(int size, String notReady) {
        List<ProbeMeasurement> measured = new java.util.ArrayList<>();
        for (int n = size; n >= 1; n--) {
            String id = "i-" + n;
            measured.add(live(id, 0));
            measured.add(id.equals(notReady)
                    ? new ProbeMeasurement(id, address(id), "readiness", false, 1, 503, 0, "HTTP 503")
                    : ready(id, 0));
        }
        return measured;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judges(String description, List<InstanceOutcome> outcomes, List<ProbeMeasurement> measurements,
            String result, String reason) {
        Judgement judgement = VerdictRules.judge(outcomes, measurements);
        assertEquals(result, judgement.result(), description);
        assertEquals(reason, judgement.reason(), description);
    }

    private static InstanceOutcome ok(String id) {
        return new InstanceOutcome(id, address(id), "1.2.0", true, null);
    }

    private static InstanceOutcome failed(String id, String error) {
        return new InstanceOutcome(id, address(id), "1.2.0", false, error);
    }

    private static ProbeMeasurement live(String id, long elapsedMs) {
        return new ProbeMeasurement(id, address(id), "liveness", true, 1, 200, elapsedMs, null);
    }

    private static ProbeMeasurement ready(String id, long elapsedMs) {
        return new ProbeMeasurement(id, address(id), "readiness", true, 1, 200, elapsedMs, null);
    }

    /** i-3 → 127.0.0.1:1003 */
    private static String address(String id) {
        return "127.0.0.1:" + (1000 + Integer.parseInt(id.substring(2)));
    }

    private static ProbeMeasurement smoke(String id, String label, String problem) {
        return new ProbeMeasurement(id, "127.0.0.1:100" + id.substring(2), "smoke check '" + label + "'",
                problem == null, 1, problem == null ? 200 : 500, 3, problem);
    }
}
