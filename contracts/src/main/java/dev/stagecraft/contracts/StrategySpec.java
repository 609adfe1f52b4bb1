package dev.stagecraft.contracts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a deployment moves; {@link StrategyRules} validates it and documents every field and default.
 *
 * <ul>
 * <li>{@code rolling}: {@code maxUnavailable}, a count ("1") or a percentage ("25%").</li>
 * <li>{@code canary}: {@code canaryReplicas} (default 1), {@code steps} (weights with their analysis
 * windows), {@code analysis} (thresholds).</li>
 * <li>{@code blue-green}: {@code replicas} (the green pool's size; default the blue pool's), optional
 * {@code prePromotionAnalysis} and {@code postPromotionAnalysis} windows, {@code syntheticRequests}
 * sent to green during the pre-promotion window, {@code autoPromote} (false: wait for a promote before
 * the switch), {@code scaleDownDelay} (how long blue is kept after the switch), {@code analysis}.</li>
 * </ul>
 * Durations are written {@code 500ms}, {@code 30s}, {@code 2m} or {@code 1h} (see {@link Durations}).
 */
public record StrategySpec(String type, String maxUnavailable, Integer canaryReplicas, List<CanaryStep> steps,
        Integer replicas, String prePromotionAnalysis, String postPromotionAnalysis, Integer syntheticRequests,
        Boolean autoPromote, String scaleDownDelay, AnalysisSpec analysis, Map<String, String> flagOverrides) {
    public static final String ROLLING = "rolling";
    public static final String BLUE_GREEN = "blue-green";
    public static final String CANARY = "canary";

    public StrategySpec {
        // Not List.copyOf: a null step must reach StrategyRules, which names it, instead of failing here.
        steps = steps == null ? null : Collections.unmodifiableList(new ArrayList<>(steps));
        flagOverrides = flagOverrides == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(flagOverrides));
    }

    /** A strategy without flag overrides (every type but canary has none). */
    public StrategySpec(String type, String maxUnavailable, Integer canaryReplicas, List<CanaryStep> steps,
            Integer replicas, String prePromotionAnalysis, String postPromotionAnalysis, Integer syntheticRequests,
            Boolean autoPromote, String scaleDownDelay, AnalysisSpec analysis) {
        this(type, maxUnavailable, canaryReplicas, steps, replicas, prePromotionAnalysis, postPromotionAnalysis,
                syntheticRequests, autoPromote, scaleDownDelay, analysis, null);
    }

    public static StrategySpec rolling(String maxUnavailable) {
        return new StrategySpec(ROLLING, maxUnavailable, null, null, null, null, null, null, null, null, null);
    }

    /**
     * One canary step: the canary pool's share of the traffic in percent (1–100), the analysis window
     * that judges it, and whether to hold there after a passing analysis until someone resumes or promotes.
     */
    public record CanaryStep(Integer weight, String analysis, Boolean pause) {
        public boolean pauses() {
            return Boolean.TRUE.equals(pause);
        }
    }
}
