package dev.stagecraft.contracts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.stagecraft.contracts.StrategySpec.CanaryStep;

/**
 * Checks a strategy and fills in its defaults. Pure: release-service answers 400 with every problem it
 * names, and the sagas can rely on what passed. Defaults: rolling {@code maxUnavailable} 1; canary
 * {@code canaryReplicas} 1 and each step's analysis {@value #DEFAULT_WINDOW}; blue-green
 * {@code autoPromote} true, {@code scaleDownDelay} {@value #DEFAULT_SCALE_DOWN_DELAY},
 * {@code syntheticRequests} {@value #DEFAULT_SYNTHETIC_REQUESTS} when there is a pre-promotion window;
 * thresholds from {@link AnalysisSpec#DEFAULTS}.
 */
public final class StrategyRules {
    public static final List<String> TYPES = List.of(StrategySpec.ROLLING, StrategySpec.CANARY, StrategySpec.BLUE_GREEN);
    public static final String DEFAULT_WINDOW = "30s";
    public static final String DEFAULT_SCALE_DOWN_DELAY = "30s";
    public static final int DEFAULT_SYNTHETIC_REQUESTS = 200;
    static final int MAX_STEPS = 20;
    static final int MAX_POOL = 100;
    static final int MAX_FLAG_OVERRIDES = 50;
    static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    static final Duration MAX_WINDOW = Duration.ofHours(6);
    static final Duration MAX_DELAY = Duration.ofHours(24);

    /** One thing wrong with a strategy: the JSON path of the field and what is wrong with it. */
    public record Problem(String field, String message) {
    }

    /** The strategy with its defaults, or the problems that stop it. */
    public record Checked(StrategySpec spec, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public static Checked check(StrategySpec s) {
        List<Problem> p = new ArrayList<>();
        if (s == null || s.type() == null || s.type().isBlank()) {
            p.add(new Problem("strategy.type", "is required: one of " + String.join(", ", TYPES)));
            return new Checked(null, p);
        }
        return switch (s.type()) {
            case StrategySpec.ROLLING -> rolling(s, p);
            case StrategySpec.CANARY -> canary(s, p);
            case StrategySpec.BLUE_GREEN -> blueGreen(s, p);
            default -> {
                p.add(new Problem("strategy.type", "unknown strategy type '" + s.type() + "': one of "
                        + String.join(", ", TYPES)));
                yield new Checked(null, p);
            }
        };
    }

    private static Checked rolling(StrategySpec s, List<Problem> p) {
        String max = s.maxUnavailable() == null ? MaxUnavailable.ONE.toString() : s.maxUnavailable();
        if (MaxUnavailable.parse(max).isEmpty()) {
            p.add(new Problem("strategy.maxUnavailable", "'" + s.maxUnavailable()
                    + "' must be a count of at least 1 or a percentage from 1% to 100%"));
        }
        notFor(s, p, "rolling", s.canaryReplicas(), "canaryReplicas", s.steps(), "steps", s.replicas(), "replicas",
                s.prePromotionAnalysis(), "prePromotionAnalysis", s.postPromotionAnalysis(), "postPromotionAnalysis",
                s.syntheticRequests(), "syntheticRequests", s.autoPromote(), "autoPromote", s.scaleDownDelay(),
                "scaleDownDelay", s.analysis(), "analysis", s.flagOverrides(), "flagOverrides");
        return new Checked(StrategySpec.rolling(max), p);
    }

    private static Checked canary(StrategySpec s, List<Problem> p) {
        notFor(s, p, "canary", s.maxUnavailable(), "maxUnavailable", s.replicas(), "replicas",
                s.prePromotionAnalysis(), "prePromotionAnalysis", s.postPromotionAnalysis(), "postPromotionAnalysis",
                s.syntheticRequests(), "syntheticRequests", s.autoPromote(), "autoPromote", s.scaleDownDelay(),
                "scaleDownDelay");
        int canaryReplicas = s.canaryReplicas() == null ? 1 : s.canaryReplicas();
        range(p, "strategy.canaryReplicas", canaryReplicas, 1, MAX_POOL);
        List<CanaryStep> steps = new ArrayList<>();
        if (s.steps() == null || s.steps().isEmpty()) {
            p.add(new Problem("strategy.steps", "a canary needs at least one step, e.g. [{\"weight\":5,\"analysis\":\"30s\"}]"));
        } else if (s.steps().size() > MAX_STEPS) {
            p.add(new Problem("strategy.steps", "at most " + MAX_STEPS + " steps, was " + s.steps().size()));
        } else {
            int previous = 0;
            for (int i = 0; i < s.steps().size(); i++) {
                CanaryStep step = s.steps().get(i);
                String at = "strategy.steps[" + i + "]";
                if (step == null) {
                    p.add(new Problem(at, "must be an object with a weight"));
                    continue;
                }
                if (step.weight() == null) {
                    p.add(new Problem(at + ".weight", "is required: the canary's share of traffic, 1 to 100"));
                } else if (step.weight() < 1 || step.weight() > 100) {
                    p.add(new Problem(at + ".weight", step.weight() + " is out of range: 1 to 100"));
                } else if (step.weight() <= previous) {
                    p.add(new Problem(at + ".weight", step.weight() + " must be greater than the step before ("
                            + previous + "): weights only increase"));
                } else {
                    previous = step.weight();
                }
                String window = step.analysis() == null ? DEFAULT_WINDOW : step.analysis();
                duration(p, at + ".analysis", window, MIN_WINDOW, MAX_WINDOW);
                steps.add(new CanaryStep(step.weight(), window, step.pauses()));
            }
        }
        AnalysisSpec analysis = analysis(s.analysis(), p);
        Map<String, String> overrides = flagOverrides(s.flagOverrides(), p);
        return new Checked(new StrategySpec(StrategySpec.CANARY, null, canaryReplicas, steps, null, null, null, null,
                null, null, analysis, overrides), p);
    }

    /**
     * The shape only (names and variants are strings, at most {@value #MAX_FLAG_OVERRIDES}): whether each flag and
     * variant exists is release-service's to say, which owns the flags. Empty is the same as none.
     */
    private static Map<String, String> flagOverrides(Map<String, String> given, List<Problem> p) {
        if (given == null || given.isEmpty()) {
            return null;
        }
        if (given.size() > MAX_FLAG_OVERRIDES) {
            p.add(new Problem("strategy.flagOverrides", "at most " + MAX_FLAG_OVERRIDES + " flags, was " + given.size()));
        }
        given.forEach((flag, variant) -> {
            if (flag == null || flag.isBlank()) {
                p.add(new Problem("strategy.flagOverrides", "a flag key must not be empty"));
            } else if (variant == null || variant.isBlank()) {
                p.add(new Problem("strategy.flagOverrides." + flag, "must name a variant of flag '" + flag + "'"));
            }
        });
        return given;
    }

    private static Checked blueGreen(StrategySpec s, List<Problem> p) {
        notFor(s, p, "blue-green", s.maxUnavailable(), "maxUnavailable", s.canaryReplicas(), "canaryReplicas",
                s.steps(), "steps", s.flagOverrides(), "flagOverrides");
        if (s.replicas() != null) {
            range(p, "strategy.replicas", s.replicas(), 1, MAX_POOL);
        }
        if (s.prePromotionAnalysis() != null) {
            duration(p, "strategy.prePromotionAnalysis", s.prePromotionAnalysis(), MIN_WINDOW, MAX_WINDOW);
        }
        if (s.postPromotionAnalysis() != null) {
            duration(p, "strategy.postPromotionAnalysis", s.postPromotionAnalysis(), MIN_WINDOW, MAX_WINDOW);
        }
        Integer synthetic = s.syntheticRequests();
        if (synthetic == null && s.prePromotionAnalysis() != null) {
            synthetic = DEFAULT_SYNTHETIC_REQUESTS;
        }
        if (synthetic != null) {
            range(p, "strategy.syntheticRequests", synthetic, 0, 10_000);
        }
        String delay = s.scaleDownDelay() == null ? DEFAULT_SCALE_DOWN_DELAY : s.scaleDownDelay();
        duration(p, "strategy.scaleDownDelay", delay, Duration.ZERO, MAX_DELAY);
        AnalysisSpec analysis = analysis(s.analysis(), p);
        return new Checked(new StrategySpec(StrategySpec.BLUE_GREEN, null, null, null, s.replicas(),
                s.prePromotionAnalysis(), s.postPromotionAnalysis(), synthetic, s.autoPromote() == null || s.autoPromote(),
                delay, analysis), p);
    }

    private static AnalysisSpec analysis(AnalysisSpec given, List<Problem> p) {
        AnalysisSpec a = AnalysisSpec.orDefaults(given);
        String at = "strategy.analysis.";
        if (!Double.isFinite(a.maxErrorRate()) || a.maxErrorRate() < 0 || a.maxErrorRate() > 1) {
            p.add(new Problem(at + "maxErrorRate", a.maxErrorRate() + " must be a fraction from 0 to 1 (0.01 is 1%)"));
        }
        range(p, at + "maxP99Ms", a.maxP99Ms(), 1, 3_600_000);
        ratio(p, at + "maxErrorRatio", a.maxErrorRatio());
        if (a.maxP99Ratio() != null) {
            ratio(p, at + "maxP99Ratio", a.maxP99Ratio());
        }
        if (!Double.isFinite(a.baselineErrorFloor()) || a.baselineErrorFloor() < 0 || a.baselineErrorFloor() > 1) {
            p.add(new Problem(at + "baselineErrorFloor", a.baselineErrorFloor() + " must be a fraction from 0 to 1"));
        }
        range(p, at + "minRequests", a.minRequests(), 1, 1_000_000);
        if (!AnalysisSpec.PAUSE.equals(a.inconclusive()) && !AnalysisSpec.FAIL.equals(a.inconclusive())) {
            p.add(new Problem(at + "inconclusive", "'" + a.inconclusive() + "' must be pause or fail"));
        }
        duration(p, at + "interval", a.interval(), Duration.ofMillis(100), MAX_WINDOW);
        return a;
    }

    private static void ratio(List<Problem> p, String field, double value) {
        if (!Double.isFinite(value) || value < 1.0 || value > 1000) {
            p.add(new Problem(field, value + " must be at least 1.0 (a multiple of the stable pool's value)"));
        }
    }

    private static void range(List<Problem> p, String field, int value, int min, int max) {
        if (value < min || value > max) {
            p.add(new Problem(field, value + " is out of range: " + min + " to " + max));
        }
    }

    private static void duration(List<Problem> p, String field, String text, Duration min, Duration max) {
        Consumer<String> bad = why -> p.add(new Problem(field, "'" + text + "' " + why));
        Durations.parse(text).ifPresentOrElse(d -> {
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                bad.accept("is out of range: " + min.toString().substring(2).toLowerCase() + " to "
                        + max.toString().substring(2).toLowerCase());
            }
        }, () -> bad.accept("is not a duration: write a whole number with ms, s, m or h, e.g. 30s"));
    }

    /** Fields given for a strategy they do not belong to: named, so that a typo in the type is not silent. */
    private static void notFor(StrategySpec s, List<Problem> p, String type, Object... valueAndName) {
        for (int i = 0; i < valueAndName.length; i += 2) {
            if (valueAndName[i] != null) {
                p.add(new Problem("strategy." + valueAndName[i + 1], "does not apply to a " + type + " deployment"));
            }
        }
    }

    private StrategyRules() {
    }
}
