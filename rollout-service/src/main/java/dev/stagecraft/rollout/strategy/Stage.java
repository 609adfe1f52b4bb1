package dev.stagecraft.rollout.strategy;

import java.util.Map;

/**
 * One stage of a canary or blue/green plan. Mechanical stages change the world through inventory-service
 * ({@code PROVISION}, {@code WEIGH}, {@code DECOMMISSION_OLD}, {@code DECOMMISSION_NEW}, {@code PROMOTE_POOL});
 * gates hold the saga until they pass ({@code ANALYSE}, {@code HOLD}, {@code WAIT}) and are what a promote skips.
 *
 * @param pool the pool a PROVISION adds to
 * @param count how many instances a PROVISION starts
 * @param weights each pool's share of traffic in percent (WEIGH)
 * @param duration the analysis window (ANALYSE) or the wait (WAIT), as the user wrote it
 * @param syntheticRequests requests health-monitor sends itself during an ANALYSE (a pool without users' traffic)
 * @param baseline whether an ANALYSE compares with the stable pool
 * @param label what the stage is, for the timeline
 */
public record Stage(Kind kind, String pool, int count, Map<String, Integer> weights, String duration,
        int syntheticRequests, boolean baseline, String label) {

    public enum Kind {
        PROVISION, WEIGH, ANALYSE, HOLD, WAIT, DECOMMISSION_OLD, DECOMMISSION_NEW, PROMOTE_POOL;

        public boolean isGate() {
            return this == ANALYSE || this == HOLD || this == WAIT;
        }
    }

    public static Stage provision(String pool, int count, String label) {
        return new Stage(Kind.PROVISION, pool, count, Map.of(), null, 0, false, label);
    }

    public static Stage weigh(Map<String, Integer> weights, String label) {
        return new Stage(Kind.WEIGH, null, 0, Map.copyOf(weights), null, 0, false, label);
    }

    public static Stage analyse(String window, int syntheticRequests, boolean baseline, String label) {
        return new Stage(Kind.ANALYSE, null, 0, Map.of(), window, syntheticRequests, baseline, label);
    }

    public static Stage hold(String label) {
        return new Stage(Kind.HOLD, null, 0, Map.of(), null, 0, false, label);
    }

    public static Stage await(String delay, String label) {
        return new Stage(Kind.WAIT, null, 0, Map.of(), delay, 0, false, label);
    }

    public static Stage of(Kind kind, String label) {
        return new Stage(kind, null, 0, Map.of(), null, 0, false, label);
    }
}
