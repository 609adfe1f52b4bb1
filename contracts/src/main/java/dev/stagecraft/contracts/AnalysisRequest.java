package dev.stagecraft.contracts;

import java.util.List;

/**
 * rollout-service asks health-monitor to judge a pool by its metrics over a window. {@code pool} is what is
 * judged (the canary, or the green pool) and {@code poolName} its name in reasons and metric labels; {@code baseline} the stable pool it is compared with (empty: absolute
 * thresholds only). {@code syntheticRequests} is how many {@code GET /} requests health-monitor itself sends to
 * the pool during the window, spread over its instances, for a pool that has no users' traffic yet (blue/green
 * before the switch); 0 means the pool is judged on the traffic the router gives it. The verdict answers with
 * the same {@code step}.
 */
public record AnalysisRequest(String deploymentId, int step, String service, String environment, String poolName,
        List<Target> pool, List<Target> baseline, long windowMs, AnalysisSpec thresholds, int syntheticRequests) {
    public AnalysisRequest {
        pool = pool == null ? List.of() : List.copyOf(pool);
        baseline = baseline == null ? List.of() : List.copyOf(baseline);
    }

    /** One instance to measure, at its address ({@code host:port}). */
    public record Target(String instanceId, String address) {
    }
}
