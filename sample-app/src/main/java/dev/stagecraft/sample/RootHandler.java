package dev.stagecraft.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/** {@code GET /}: the application traffic, where latency and errors are injected and measured. */
final class RootHandler implements HttpHandler {
    /** The flag-guarded behaviour: while flag {@value} is on (read over OFREP), GET / also greets. */
    static final String NEW_GREETING = "new-greeting";
    static final String GREETING = "hello from the new greeting";

    private final String version;
    private final String instanceId;
    private final double errorRate;
    private final long latencyMs;
    private final Metrics metrics;
    private final FeatureFlags flags;

    RootHandler(SampleConfig config, String instanceId, Metrics metrics, FeatureFlags flags) {
        this.flags = flags;
        this.version = config.version();
        this.instanceId = instanceId;
        this.errorRate = config.errorRate();
        this.latencyMs = config.latencyMs();
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        injectLatency();
        // nextDouble() is in [0, 1), so a rate of 1.0 fails every request and 0.0 none.
        boolean fail = ThreadLocalRandom.current().nextDouble() < errorRate;
        int status = fail ? 500 : 200;
        String body = fail
                ? Json.object("error", "injected failure (SAMPLE_ERROR_RATE)", "version", version, "instance", instanceId)
                : flags.isOn(NEW_GREETING)
                        ? Json.object("version", version, "instance", instanceId, "greeting", GREETING)
                        : Json.object("version", version, "instance", instanceId);
        // Recorded before the body is written so a client that reads the response and then
        // scrapes /metrics always sees its own request counted.
        metrics.recordRootRequest(status, System.nanoTime() - start);
        Responses.json(exchange, status, body);
    }

    private void injectLatency() {
        if (latencyMs <= 0) {
            return;
        }
        try {
            Thread.sleep(latencyMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
