package dev.stagecraft.agent;

import dev.stagecraft.sample.Metrics;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One simulated instance while it "runs": its release's behaviour, when it was started, and the sample app's own
 * metrics of its {@code GET /} traffic, made on the first request so that ten thousand idle instances cost no
 * metrics at all.
 */
final class SimulatedInstance {
    private final String instanceId;
    private final String address;
    private final SimulatedRelease release;
    private final long startedNanos;
    private volatile Metrics metrics;

    SimulatedInstance(String instanceId, String address, SimulatedRelease release, long startedNanos) {
        this.instanceId = instanceId;
        this.address = address;
        this.release = release;
        this.startedNanos = startedNanos;
    }

    String address() {
        return address;
    }

    SimulatedAnswers.Answer answer(String method, String path) {
        long sinceStartMs = (System.nanoTime() - startedNanos) / 1_000_000L;
        return SimulatedAnswers.answer(release, instanceId, method, path, sinceStartMs,
                ThreadLocalRandom.current().nextDouble(), () -> metrics().render());
    }

    /** Counted before the answer is written, as the sample app does, so a client's next scrape sees its request. */
    void recordRootRequest(int status, long durationNanos) {
        metrics().recordRootRequest(status, durationNanos);
    }

    private Metrics metrics() {
        Metrics m = metrics;
        if (m == null) {
            synchronized (this) {
                if (metrics == null) {
                    metrics = new Metrics(release.version());
                }
                m = metrics;
            }
        }
        return m;
    }
}
