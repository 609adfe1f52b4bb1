package dev.stagecraft.sample;

import java.util.Optional;

/** Decides whether the instance should receive traffic; empty means ready, otherwise the reason. */
final class Readiness {

    private final boolean forcedDown;
    private final long readyAtNanos;

    Readiness(SampleConfig config, long boundAtNanos) {
        this.forcedDown = config.readyFail();
        this.readyAtNanos = boundAtNanos + config.startupDelayMs() * 1_000_000L;
    }

    Optional<String> notReadyReason() {
        if (forcedDown) {
            return Optional.of("SAMPLE_READY_FAIL=true");
        }
        // Subtraction, not comparison, because nanoTime may wrap.
        if (System.nanoTime() - readyAtNanos < 0) {
            return Optional.of("starting (SAMPLE_STARTUP_DELAY_MS)");
        }
        return Optional.empty();
    }
}
