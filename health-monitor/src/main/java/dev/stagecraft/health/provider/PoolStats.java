package dev.stagecraft.health.provider;

import java.util.List;

/**
 * A pool's traffic since its window began, as a provider measured it: how many requests, how many of
 * them errors, the 99th percentile latency (NaN when there is nothing to compute it from), and the
 * instances whose metrics could not be read this time.
 */
public record PoolStats(int instances, long requests, long errors, double p99Ms, List<Unreachable> unreachable) {
    public PoolStats {
        unreachable = unreachable == null ? List.of() : List.copyOf(unreachable);
    }

    /** An instance that did not give its metrics, and why. */
    public record Unreachable(String instanceId, String address, String error) {
        public String name() {
            return instanceId + " (" + address + ")";
        }
    }

    /** Errors over requests; NaN for a pool without requests, which no threshold may take for a pass. */
    public double errorRate() {
        return requests == 0 ? Double.NaN : (double) errors / requests;
    }
}
