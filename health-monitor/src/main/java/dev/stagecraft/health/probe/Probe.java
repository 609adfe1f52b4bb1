package dev.stagecraft.health.probe;

import dev.stagecraft.contracts.ProbeMeasurement;
import io.smallrye.mutiny.Uni;

/**
 * Asks one instance one question until it passes or its deadline runs out. The answer is always a
 * measurement, never a failure: an instance that cannot be reached is a failed probe, not an error.
 * The item may be emitted on any thread.
 */
public interface Probe {
    Uni<ProbeMeasurement> check(String instanceId, String address, ProbeKind kind);
}
