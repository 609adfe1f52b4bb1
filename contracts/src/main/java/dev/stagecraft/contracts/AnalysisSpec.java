package dev.stagecraft.contracts;

/**
 * The thresholds a metric analysis judges a pool by. Absolute: {@code maxErrorRate} (a fraction, 0.01
 * is 1 %) and {@code maxP99Ms}. Relative to the stable pool: {@code maxErrorRatio} (the canary's error
 * rate at most this many times stable's, stable's rate floored at {@code baselineErrorFloor} so that a
 * stable pool without errors does not make a single canary error fatal) and {@code maxP99Ratio}
 * (optional). Fewer than {@code minRequests} requests in a window is INCONCLUSIVE, never a pass, and
 * {@code inconclusive} says what follows: {@code pause} (wait for a person) or {@code fail} (roll back).
 * {@code interval} is how often the window is looked at: a breach backed by enough requests fails
 * the analysis early; a pass needs the whole window.
 */
public record AnalysisSpec(Double maxErrorRate, Integer maxP99Ms, Double maxErrorRatio, Double maxP99Ratio,
        Double baselineErrorFloor, Integer minRequests, String inconclusive, String interval) {
    public static final String PAUSE = "pause";
    public static final String FAIL = "fail";

    public static final AnalysisSpec DEFAULTS = new AnalysisSpec(0.01, 500, 1.5, null, 0.001, 50, PAUSE, "5s");

    /** These thresholds with every field left out taken from {@link #DEFAULTS}. */
    public AnalysisSpec withDefaults() {
        AnalysisSpec d = DEFAULTS;
        return new AnalysisSpec(or(maxErrorRate, d.maxErrorRate), or(maxP99Ms, d.maxP99Ms),
                or(maxErrorRatio, d.maxErrorRatio), maxP99Ratio, or(baselineErrorFloor, d.baselineErrorFloor),
                or(minRequests, d.minRequests), or(inconclusive, d.inconclusive), or(interval, d.interval));
    }

    public static AnalysisSpec orDefaults(AnalysisSpec spec) {
        return spec == null ? DEFAULTS : spec.withDefaults();
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
