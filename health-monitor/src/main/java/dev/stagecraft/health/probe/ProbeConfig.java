package dev.stagecraft.health.probe;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How instances are probed. The defaults fit sample-app and most HTTP services. The counts must be at least 1
 * ({@link dev.stagecraft.health.ConfigLimits} stops the start otherwise).
 */
@ConfigMapping(prefix = "stagecraft.probes")
public interface ProbeConfig {
    @WithDefault("/health/live")
    String livenessPath();

    @WithDefault("/health/ready")
    String readinessPath();

    /** How long one request may take before it counts as a failed attempt. */
    @WithDefault("2s")
    Duration timeout();

    /** The pause between two attempts of one probe. */
    @WithDefault("250ms")
    Duration interval();

    /**
     * How long one probe keeps trying before it fails; an instance that starts slowly has this long. No
     * attempt starts after it, so a probe ends at most one {@link #timeout()} later.
     */
    @WithDefault("20s")
    Duration deadline();

    /**
     * How many probes run at once; the others wait their turn, and a probe's deadline starts with its turn
     * ({@link InFlightLimit}). A step of 1,000 instances asks 2,000 probes.
     */
    @WithDefault("256")
    int maxInFlight();

    /** How many 2xx answers in a row make a probe pass. */
    @WithDefault("1")
    int consecutiveSuccesses();
}
