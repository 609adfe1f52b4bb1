package dev.stagecraft.e2e;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** The highest resident memory of each service and host agent of a platform, sampled every second while it runs. */
final class PeakMemory {
    private final Platform platform;
    private final Map<String, Long> highest = new LinkedHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private PeakMemory(Platform platform) {
        this.platform = platform;
        this.thread = new Thread(this::sample, "peak-memory");
        this.thread.setDaemon(true);
    }

    static PeakMemory start(Platform platform) {
        PeakMemory peak = new PeakMemory(platform);
        peak.thread.start();
        return peak;
    }

    private void sample() {
        while (running.get()) {
            Map<String, Long> now = new LinkedHashMap<>(platform.residentMemoryMiB());
            now.putAll(platform.agentResidentMemoryMiB());
            synchronized (highest) {
                now.forEach((name, mib) -> highest.merge(name, mib, Math::max));
            }
            PlatformApi.sleep(1000);
        }
    }

    /** Stops sampling; answers the highest seen, by process. */
    Map<String, Long> stop() throws InterruptedException {
        running.set(false);
        thread.join(5000);
        synchronized (highest) {
            return new LinkedHashMap<>(highest);
        }
    }
}
