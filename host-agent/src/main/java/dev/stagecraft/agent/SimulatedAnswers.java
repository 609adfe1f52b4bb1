package dev.stagecraft.agent;

import static dev.stagecraft.sample.Json.quote;

import dev.stagecraft.sample.Metrics;
import java.util.function.Supplier;

/**
 * What a simulated instance answers, given its release's settings and the time since it was started: the sample
 * app's endpoints and answers (sample-app's README, "Endpoints"), with the variables' effects in the same places.
 * Pure; the random draw for {@code SAMPLE_ERROR_RATE} is passed in.
 */
final class SimulatedAnswers {
    static final String JSON = "application/json";
    private static final String UP = "{\"status\":\"UP\"}";

    /** status 0: no answer at all, the connection is closed (as a port that is not open yet refuses it). */
    record Answer(int status, String contentType, String body, long delayMs, boolean rootRequest) {
        static final Answer NONE = new Answer(0, null, null, 0, false);

        boolean answers() {
            return status > 0;
        }
    }

    private SimulatedAnswers() {
    }

    static Answer answer(SimulatedRelease release, String instanceId, String method, String path, long sinceStartMs,
            double random, Supplier<String> metrics) {
        if (release.crashOnStart() || sinceStartMs < release.bootMs()) {
            return Answer.NONE;
        }
        String route = path == null || path.isEmpty() ? "/" : path;
        boolean known = switch (route) {
            case "/", "/api/cart", "/health/live", "/health/ready", "/metrics" -> true;
            default -> false;
        };
        if (!known) {
            return json(404, "{\"error\":\"not found\"}");
        }
        if (!"GET".equals(method)) {
            return json(405, "{\"error\":\"method not allowed\"}");
        }
        return switch (route) {
            case "/health/live" -> release.liveFail()
                    ? json(503, "{\"status\":\"DOWN\",\"reason\":\"" + SimulatedRelease.LIVE_FAIL + "=true\"}")
                    : json(200, UP);
            case "/health/ready" -> ready(release, sinceStartMs);
            case "/api/cart" -> release.cartBroken()
                    ? json(500, "{\"error\":\"the cart is unavailable\"}")
                    : json(200, "{\"items\":[]}");
            case "/metrics" -> new Answer(200, Metrics.CONTENT_TYPE, metrics.get(), 0, false);
            default -> root(release, instanceId, random);
        };
    }

    private static Answer ready(SimulatedRelease release, long sinceStartMs) {
        if (release.readyFail()) {
            return json(503, "{\"status\":\"DOWN\",\"reason\":\"SAMPLE_READY_FAIL=true\"}");
        }
        // Counted from the port opening, as the sample app counts it from binding its port.
        if (sinceStartMs < release.bootMs() + release.startupDelayMs()) {
            return json(503, "{\"status\":\"DOWN\",\"reason\":\"starting (SAMPLE_STARTUP_DELAY_MS)\"}");
        }
        return json(200, UP);
    }

    /** {@code random} in [0, 1): a rate of 1.0 fails every request and 0.0 none, as in the sample app. */
    private static Answer root(SimulatedRelease release, String instanceId, double random) {
        boolean fail = random < release.errorRate();
        String body = fail
                ? "{\"error\":\"injected failure (SAMPLE_ERROR_RATE)\",\"version\":" + quote(release.version())
                        + ",\"instance\":" + quote(instanceId) + ",\"simulated\":true}"
                : "{\"version\":" + quote(release.version()) + ",\"instance\":" + quote(instanceId)
                        + ",\"simulated\":true}";
        return new Answer(fail ? 500 : 200, JSON, body, release.latencyMs(), true);
    }

    private static Answer json(int status, String body) {
        return new Answer(status, JSON, body, 0, false);
    }
}
