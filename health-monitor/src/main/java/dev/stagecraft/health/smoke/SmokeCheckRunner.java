package dev.stagecraft.health.smoke;

import dev.stagecraft.contracts.ProbeMeasurement;
import dev.stagecraft.contracts.SmokeCheck;
import io.smallrye.mutiny.Uni;

/**
 * Runs one smoke check against one instance. The answer is always a measurement (probe
 * {@value #PROBE_PREFIX}{@code <label>}), never a failure: an instance that cannot be reached fails its check.
 * The item may be emitted on any thread.
 */
public interface SmokeCheckRunner {
    String PROBE_PREFIX = "smoke check ";

    Uni<ProbeMeasurement> run(String instanceId, String address, SmokeCheck check);

    static boolean isSmokeCheck(ProbeMeasurement m) {
        return m.probe() != null && m.probe().startsWith(PROBE_PREFIX);
    }
}
