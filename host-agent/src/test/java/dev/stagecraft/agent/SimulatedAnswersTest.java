package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stagecraft.sample.InvalidConfigException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What a simulated instance answers, by its release's variables and the time since its start. */
class SimulatedAnswersTest {

    @ParameterizedTest(name = "{0} | {1} {2} at {3} ms, draw {4} -> {5}")
    @CsvSource(delimiter = '|', textBlock = """
            # variables (a=b;c=d)                          | method | path          | ms   | draw | status | body contains
                                                           | GET    | /health/live  | 0    | 0.5  | 200    | UP
                                                           | GET    | /health/ready | 0    | 0.5  | 200    | UP
                                                           | GET    | /             | 0    | 0.5  | 200    | "simulated":true
                                                           | GET    | /api/cart     | 0    | 0.5  | 200    | "items":[]
                                                           | GET    | /nowhere      | 0    | 0.5  | 404    | not found
                                                           | POST   | /             | 0    | 0.5  | 405    | not allowed
            SIMULATION_BOOT_MS=2000                        | GET    | /health/live  | 1999 | 0.5  | 0      |
            SIMULATION_BOOT_MS=2000                        | GET    | /health/live  | 2000 | 0.5  | 200    | UP
            SIMULATION_BOOT_MS=2000                        | GET    | /health/ready | 2000 | 0.5  | 200    | UP
            SIMULATION_BOOT_MS=1000;SAMPLE_STARTUP_DELAY_MS=500 | GET | /health/ready | 1499 | 0.5  | 503    | SAMPLE_STARTUP_DELAY_MS
            SIMULATION_BOOT_MS=1000;SAMPLE_STARTUP_DELAY_MS=500 | GET | /health/ready | 1500 | 0.5  | 200    | UP
            SIMULATION_BOOT_MS=1000;SAMPLE_STARTUP_DELAY_MS=500 | GET | /health/live  | 1200 | 0.5  | 200    | UP
            SAMPLE_READY_FAIL=true                         | GET    | /health/ready | 9999 | 0.5  | 503    | SAMPLE_READY_FAIL
            SAMPLE_READY_FAIL=true                         | GET    | /health/live  | 9999 | 0.5  | 200    | UP
            SIMULATION_LIVE_FAIL=true                      | GET    | /health/live  | 0    | 0.5  | 503    | SIMULATION_LIVE_FAIL
            SIMULATION_LIVE_FAIL=true                      | GET    | /health/ready | 0    | 0.5  | 200    | UP
            SAMPLE_ERROR_RATE=0.25                         | GET    | /             | 0    | 0.24 | 500    | SAMPLE_ERROR_RATE
            SAMPLE_ERROR_RATE=0.25                         | GET    | /             | 0    | 0.25 | 200    | "version":"2.0.0"
            SAMPLE_ERROR_RATE=1.0                          | GET    | /             | 0    | 0.999| 500    | injected failure
            SAMPLE_ERROR_RATE=0.25                         | GET    | /health/live  | 0    | 0.0  | 200    | UP
            SAMPLE_CART_BROKEN=true                        | GET    | /api/cart     | 0    | 0.5  | 500    | cart is unavailable
            SAMPLE_CART_BROKEN=true                        | GET    | /             | 0    | 0.5  | 200    | "instance":"i-1"
            SAMPLE_CRASH_ON_START=true                     | GET    | /health/live  | 9999 | 0.5  | 0      |
            """)
    void answers(String variables, String method, String path, long sinceStartMs, double draw, int status,
            String bodyContains) throws InvalidConfigException {
        SimulatedRelease release = SimulatedRelease.of(parse(variables));
        SimulatedAnswers.Answer answer = SimulatedAnswers.answer(release, "i-1", method, path, sinceStartMs, draw,
                () -> "metrics");
        assertEquals(status, answer.status());
        if (bodyContains != null) {
            assertTrue(answer.body().contains(bodyContains), answer.body());
        }
    }

    @Test
    void latencyIsAddedToTheApplicationsTrafficOnly() throws InvalidConfigException {
        SimulatedRelease release = SimulatedRelease.of(parse("SAMPLE_LATENCY_MS=250"));
        SimulatedAnswers.Answer root = SimulatedAnswers.answer(release, "i-1", "GET", "/", 0, 0.5, () -> "");
        SimulatedAnswers.Answer live = SimulatedAnswers.answer(release, "i-1", "GET", "/health/live", 0, 0.5, () -> "");
        assertEquals(250, root.delayMs());
        assertTrue(root.rootRequest());
        assertEquals(0, live.delayMs());
        assertEquals(false, live.rootRequest());
    }

    @Test
    void metricsAreTheSampleAppsOwnRendering() throws InvalidConfigException {
        SimulatedRelease release = SimulatedRelease.of(parse(""));
        SimulatedAnswers.Answer metrics = SimulatedAnswers.answer(release, "i-1", "GET", "/metrics", 0, 0.5,
                () -> new dev.stagecraft.sample.Metrics("2.0.0").render());
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("http_server_requests_total{status=\"500\",path=\"/\"} 0"), metrics.body());
        assertTrue(metrics.contentType().startsWith("text/plain; version=0.0.4"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            SIMULATION_BOOT_MS=soon      | SIMULATION_BOOT_MS=soon must be a whole number
            SIMULATION_BOOT_MS=-1        | SIMULATION_BOOT_MS=-1 must be a whole number
            SIMULATION_LIVE_FAIL=maybe   | SIMULATION_LIVE_FAIL=maybe must be true or false
            SAMPLE_ERROR_RATE=2          | SAMPLE_ERROR_RATE
            """)
    void invalidVariablesAreRefusedAsTheSampleAppRefusesThem(String variables, String problem) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> SimulatedRelease.of(parse(variables)));
        assertTrue(String.join("; ", e.problems()).contains(problem), e.problems().toString());
    }

    private static Map<String, String> parse(String variables) {
        Map<String, String> env = new HashMap<>();
        env.put("STAGECRAFT_VERSION", "2.0.0");
        if (variables != null && !variables.isBlank()) {
            for (String pair : variables.split(";")) {
                String[] kv = pair.split("=", 2);
                env.put(kv[0].trim(), kv[1].trim());
            }
        }
        return env;
    }
}
