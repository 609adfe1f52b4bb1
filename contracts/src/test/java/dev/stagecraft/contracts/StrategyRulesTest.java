package dev.stagecraft.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stagecraft.contracts.StrategySpec.CanaryStep;

/**
 * {@link StrategyRules} as a table: strategies that pass, with the defaults they come back with, and
 * strategies that fail, with every field the answer must name (and no other).
 */
class StrategyRulesTest {

    // --- what passes, and what it becomes ---------------------------------------------------------------

    static Stream<Arguments> good() {
        AnalysisSpec defaults = AnalysisSpec.DEFAULTS;
        return Stream.of(
                Arguments.of("rolling without maxUnavailable takes 1",
                        spec("rolling").build(), StrategySpec.rolling("1")),
                Arguments.of("rolling keeps a percentage",
                        spec("rolling").maxUnavailable("25%").build(), StrategySpec.rolling("25%")),
                Arguments.of("canary: one canary replica, 30s windows, no pauses, default thresholds",
                        spec("canary").steps(step(5, null, null), step(50, "2m", true), step(100, null, null)).build(),
                        new StrategySpec("canary", null, 1, List.of(new CanaryStep(5, "30s", false),
                                new CanaryStep(50, "2m", true), new CanaryStep(100, "30s", false)), null, null, null,
                                null, null, null, defaults)),
                Arguments.of("canary keeps its replicas and fills in the thresholds not given",
                        spec("canary").canaryReplicas(3).steps(step(10, "1h", false))
                                .analysis(new AnalysisSpec(0.05, null, null, 2.0, null, 10, "fail", null)).build(),
                        new StrategySpec("canary", null, 3, List.of(new CanaryStep(10, "1h", false)), null, null, null,
                                null, null, null, new AnalysisSpec(0.05, 500, 1.5, 2.0, 0.001, 10, "fail", "5s"))),
                Arguments.of("canary with the bounds: 1 to 100 in 20 steps, 1s and 6h windows",
                        spec("canary").steps(twentySteps("1s")).build(),
                        new StrategySpec("canary", null, 1, List.of(twentySteps("1s")), null, null, null, null, null,
                                null, defaults)),
                Arguments.of("canary keeps its flag overrides; the flags themselves are release-service's to check",
                        spec("canary").steps(step(5, null, null)).flagOverrides("new-checkout", "on", "theme", "dark")
                                .build(),
                        new StrategySpec("canary", null, 1, List.of(new CanaryStep(5, "30s", false)), null, null, null,
                                null, null, null, defaults, java.util.Map.of("new-checkout", "on", "theme", "dark"))),
                Arguments.of("canary: empty flag overrides are none",
                        spec("canary").steps(step(5, null, null)).flagOverrides().build(),
                        new StrategySpec("canary", null, 1, List.of(new CanaryStep(5, "30s", false)), null, null, null,
                                null, null, null, defaults)),
                Arguments.of("blue-green: auto-promoted, blue kept 30s, no analysis windows, default thresholds",
                        spec("blue-green").build(),
                        new StrategySpec("blue-green", null, null, null, null, null, null, null, true, "30s",
                                defaults)),
                Arguments.of("blue-green with a pre-promotion window sends 200 synthetic requests",
                        spec("blue-green").replicas(4).prePromotionAnalysis("1m").postPromotionAnalysis("5m")
                                .autoPromote(false).scaleDownDelay("0s").build(),
                        new StrategySpec("blue-green", null, null, null, 4, "1m", "5m", 200, false, "0s", defaults)),
                Arguments.of("blue-green keeps its own synthetic request count, none included",
                        spec("blue-green").prePromotionAnalysis("1s").syntheticRequests(0).scaleDownDelay("24h")
                                .build(),
                        new StrategySpec("blue-green", null, null, null, null, "1s", null, 0, true, "24h",
                                defaults)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("good")
    void passesWithDefaultsFilledIn(String name, StrategySpec given, StrategySpec expected) {
        StrategyRules.Checked checked = StrategyRules.check(given);
        assertEquals(List.of(), checked.problems(), name);
        assertEquals(expected, checked.spec(), name);
        // what passed once passes again unchanged: the sagas may check what they receive
        assertEquals(checked, StrategyRules.check(checked.spec()), name);
    }

    @Test
    void aPrePromotionWindowShorterThanASecondIsRefusedButTheDefaultCountIsKept() {
        StrategyRules.Checked checked = StrategyRules.check(spec("blue-green").prePromotionAnalysis("500ms").build());
        assertEquals(List.of("strategy.prePromotionAnalysis"), fields(checked));
        assertEquals(StrategyRules.DEFAULT_SYNTHETIC_REQUESTS, checked.spec().syntheticRequests());
    }

    // --- what fails, and which fields the answer names ----------------------------------------------------

    static Stream<Arguments> bad() {
        return Stream.of(
                bad("no strategy at all", null, "strategy.type"),
                bad("no type", spec(null).build(), "strategy.type"),
                bad("blank type", spec(" ").build(), "strategy.type"),
                bad("unknown type", spec("yolo").build(), "strategy.type"),
                bad("type is case-sensitive", spec("Canary").steps(step(5, null, null)).build(), "strategy.type"),
                // rolling
                bad("rolling: maxUnavailable 0", spec("rolling").maxUnavailable("0").build(), "strategy.maxUnavailable"),
                bad("rolling: maxUnavailable 101%", spec("rolling").maxUnavailable("101%").build(),
                        "strategy.maxUnavailable"),
                bad("rolling: canary and blue-green fields", spec("rolling").canaryReplicas(1).steps(step(5, null, null))
                        .replicas(2).autoPromote(true).analysis(AnalysisSpec.DEFAULTS).build(),
                        "strategy.canaryReplicas", "strategy.steps", "strategy.replicas", "strategy.autoPromote",
                        "strategy.analysis"),
                // canary steps
                bad("canary: no steps", spec("canary").build(), "strategy.steps"),
                bad("canary: empty steps", spec("canary").steps().build(), "strategy.steps"),
                bad("canary: 21 steps", spec("canary").steps(twentyOneSteps()).build(), "strategy.steps"),
                bad("canary: weight missing", spec("canary").steps(step(null, "30s", null)).build(),
                        "strategy.steps[0].weight"),
                bad("canary: weight 0", spec("canary").steps(step(0, null, null)).build(), "strategy.steps[0].weight"),
                bad("canary: weight -5", spec("canary").steps(step(-5, null, null)).build(),
                        "strategy.steps[0].weight"),
                bad("canary: weight 101", spec("canary").steps(step(50, null, null), step(101, null, null)).build(),
                        "strategy.steps[1].weight"),
                bad("canary: weights decrease", spec("canary").steps(step(50, null, null), step(25, null, null)).build(),
                        "strategy.steps[1].weight"),
                bad("canary: weights repeat", spec("canary").steps(step(25, null, null), step(25, null, null)).build(),
                        "strategy.steps[1].weight"),
                bad("canary: a drop after a bad weight is still named",
                        spec("canary").steps(step(10, null, null), step(500, null, null), step(5, null, null)).build(),
                        "strategy.steps[1].weight", "strategy.steps[2].weight"),
                // canary windows
                bad("canary: '30 seconds'", spec("canary").steps(step(5, "30 seconds", null)).build(),
                        "strategy.steps[0].analysis"),
                bad("canary: '-5s'", spec("canary").steps(step(5, "-5s", null)).build(), "strategy.steps[0].analysis"),
                bad("canary: '1.5m'", spec("canary").steps(step(5, "1.5m", null)).build(), "strategy.steps[0].analysis"),
                bad("canary: '30S'", spec("canary").steps(step(5, "30S", null)).build(), "strategy.steps[0].analysis"),
                bad("canary: '1d'", spec("canary").steps(step(5, "1d", null)).build(), "strategy.steps[0].analysis"),
                bad("canary: empty window", spec("canary").steps(step(5, "", null)).build(),
                        "strategy.steps[0].analysis"),
                bad("canary: window below 1s", spec("canary").steps(step(5, "999ms", null)).build(),
                        "strategy.steps[0].analysis"),
                bad("canary: window above 6h", spec("canary").steps(step(5, "361m", null)).build(),
                        "strategy.steps[0].analysis"),
                // flag overrides: a canary's only
                bad("rolling: flag overrides", spec("rolling").flagOverrides("f", "on").build(),
                        "strategy.flagOverrides"),
                bad("blue-green: flag overrides", spec("blue-green").flagOverrides("f", "on").build(),
                        "strategy.flagOverrides"),
                bad("canary: a flag override without a variant",
                        spec("canary").steps(step(5, null, null)).flagOverrides("f", "on", "g", null, "h", " ").build(),
                        "strategy.flagOverrides.g", "strategy.flagOverrides.h"),
                bad("canary: 51 flag overrides", spec("canary").steps(step(5, null, null)).flagOverrides(
                        IntStream.range(0, 102).mapToObj(i -> i % 2 == 0 ? "f" + i : "on").toArray(String[]::new))
                        .build(), "strategy.flagOverrides"),
                // canary pool and foreign fields
                bad("canary: canaryReplicas 0", spec("canary").canaryReplicas(0).steps(step(5, null, null)).build(),
                        "strategy.canaryReplicas"),
                bad("canary: canaryReplicas 101", spec("canary").canaryReplicas(101).steps(step(5, null, null)).build(),
                        "strategy.canaryReplicas"),
                bad("canary: rolling and blue-green fields", spec("canary").steps(step(5, null, null))
                        .maxUnavailable("1").replicas(2).prePromotionAnalysis("1m").postPromotionAnalysis("1m")
                        .syntheticRequests(5).autoPromote(false).scaleDownDelay("1m").build(),
                        "strategy.maxUnavailable", "strategy.replicas", "strategy.prePromotionAnalysis",
                        "strategy.postPromotionAnalysis", "strategy.syntheticRequests", "strategy.autoPromote",
                        "strategy.scaleDownDelay"),
                // analysis thresholds (shared by canary and blue-green)
                bad("analysis: inconclusive retry", canaryWith(analysis().inconclusive("retry")),
                        "strategy.analysis.inconclusive"),
                bad("analysis: inconclusive is lower case", canaryWith(analysis().inconclusive("PAUSE")),
                        "strategy.analysis.inconclusive"),
                bad("analysis: maxErrorRate 1.5", canaryWith(analysis().maxErrorRate(1.5)),
                        "strategy.analysis.maxErrorRate"),
                bad("analysis: maxErrorRate -0.1", canaryWith(analysis().maxErrorRate(-0.1)),
                        "strategy.analysis.maxErrorRate"),
                bad("analysis: maxP99Ms 0", canaryWith(analysis().maxP99Ms(0)), "strategy.analysis.maxP99Ms"),
                bad("analysis: maxErrorRatio 0.5", canaryWith(analysis().maxErrorRatio(0.5)),
                        "strategy.analysis.maxErrorRatio"),
                bad("analysis: maxP99Ratio 0.9", canaryWith(analysis().maxP99Ratio(0.9)),
                        "strategy.analysis.maxP99Ratio"),
                bad("analysis: baselineErrorFloor 2", canaryWith(analysis().baselineErrorFloor(2.0)),
                        "strategy.analysis.baselineErrorFloor"),
                bad("analysis: minRequests 0", canaryWith(analysis().minRequests(0)), "strategy.analysis.minRequests"),
                bad("analysis: interval 50ms", canaryWith(analysis().interval("50ms")), "strategy.analysis.interval"),
                bad("analysis: interval 'often'", canaryWith(analysis().interval("often")),
                        "strategy.analysis.interval"),
                bad("analysis: every threshold at once", canaryWith(new AnalysisSpec(2.0, -1, 0.0, 0.0, -1.0, -1,
                        "maybe", "0s")), "strategy.analysis.maxErrorRate", "strategy.analysis.maxP99Ms",
                        "strategy.analysis.maxErrorRatio", "strategy.analysis.maxP99Ratio",
                        "strategy.analysis.baselineErrorFloor", "strategy.analysis.minRequests",
                        "strategy.analysis.inconclusive", "strategy.analysis.interval"),
                // blue-green
                bad("blue-green: replicas 0", spec("blue-green").replicas(0).build(), "strategy.replicas"),
                bad("blue-green: pre-promotion 'soon'", spec("blue-green").prePromotionAnalysis("soon").build(),
                        "strategy.prePromotionAnalysis"),
                bad("blue-green: post-promotion '-5s'", spec("blue-green").postPromotionAnalysis("-5s").build(),
                        "strategy.postPromotionAnalysis"),
                bad("blue-green: syntheticRequests -1", spec("blue-green").syntheticRequests(-1).build(),
                        "strategy.syntheticRequests"),
                bad("blue-green: syntheticRequests 10001", spec("blue-green").syntheticRequests(10_001).build(),
                        "strategy.syntheticRequests"),
                bad("blue-green: scaleDownDelay 25h", spec("blue-green").scaleDownDelay("25h").build(),
                        "strategy.scaleDownDelay"),
                bad("blue-green: scaleDownDelay '30 seconds'", spec("blue-green").scaleDownDelay("30 seconds").build(),
                        "strategy.scaleDownDelay"),
                bad("blue-green: analysis inconclusive retry",
                        spec("blue-green").analysis(analysis().inconclusive("retry")).build(),
                        "strategy.analysis.inconclusive"),
                bad("blue-green: rolling and canary fields", spec("blue-green").maxUnavailable("25%").canaryReplicas(1)
                        .steps(step(5, null, null)).build(),
                        "strategy.maxUnavailable", "strategy.canaryReplicas", "strategy.steps"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void namesEveryProblemAndOnlyThose(String name, StrategySpec given, List<String> expectedFields) {
        StrategyRules.Checked checked = StrategyRules.check(given);
        assertEquals(expectedFields, fields(checked), name);
        checked.problems().forEach(p -> assertTrue(p.message() != null && !p.message().isBlank(), name + ": " + p));
    }

    /** JSON such as {@code "steps":[null]} reaches the rules, which name the step. */
    @Test
    void aNullStepIsNamedNotThrown() {
        StrategyRules.Checked checked = StrategyRules.check(spec("canary").steps(step(5, null, null), null).build());
        assertTrue(checked.problems().stream().anyMatch(p -> p.field().equals("strategy.steps[1]")),
                checked.problems().toString());
    }

    @Test
    void notANumberIsNoThreshold() {
        StrategyRules.Checked checked = StrategyRules.check(new StrategySpec("canary", null, null,
                List.of(new StrategySpec.CanaryStep(5, null, null)), null, null, null, null, null, null,
                new AnalysisSpec(Double.NaN, null, Double.NaN, Double.NaN, Double.NaN, null, null, null)));
        assertEquals(List.of("strategy.analysis.maxErrorRate", "strategy.analysis.maxErrorRatio",
                "strategy.analysis.maxP99Ratio", "strategy.analysis.baselineErrorFloor"),
                checked.problems().stream().map(StrategyRules.Problem::field).toList());
    }

    @Test
    void anUnknownTypeHasNoSpecToRunAndSaysWhichTypesThereAre() {
        StrategyRules.Checked checked = StrategyRules.check(spec("yolo").build());
        assertNull(checked.spec());
        assertTrue(checked.problems().get(0).message().contains("rolling, canary, blue-green"),
                checked.problems().toString());
    }

    @Test
    void aBadDurationIsQuotedAndExplained() {
        StrategyRules.Problem problem = StrategyRules.check(spec("canary").steps(step(5, "30 seconds", null)).build())
                .problems().get(0);
        assertTrue(problem.message().contains("'30 seconds'") && problem.message().contains("e.g. 30s"),
                problem.message());
    }

    // --- building strategies -------------------------------------------------------------------------------

    private static Arguments bad(String name, StrategySpec spec, String... fields) {
        return Arguments.of(name, spec, List.of(fields));
    }

    private static List<String> fields(StrategyRules.Checked checked) {
        return checked.problems().stream().map(StrategyRules.Problem::field).toList();
    }

    private static CanaryStep step(Integer weight, String analysis, Boolean pause) {
        return new CanaryStep(weight, analysis, pause);
    }

    private static CanaryStep[] twentySteps(String window) {
        return IntStream.rangeClosed(1, 20).mapToObj(i -> step(i * 5, i == 20 ? "6h" : window, false))
                .toArray(CanaryStep[]::new);
    }

    private static CanaryStep[] twentyOneSteps() {
        return IntStream.rangeClosed(1, 21).mapToObj(i -> step(i, null, null)).toArray(CanaryStep[]::new);
    }

    private static StrategySpec canaryWith(Analysis analysis) {
        return canaryWith(analysis.build());
    }

    private static StrategySpec canaryWith(AnalysisSpec analysis) {
        return spec("canary").steps(step(5, null, null)).analysis(analysis).build();
    }

    private static Spec spec(String type) {
        return new Spec(type);
    }

    private static Analysis analysis() {
        return new Analysis();
    }

    /** A strategy with only the fields a case sets; every other field is left out (null), as in JSON. */
    private static final class Spec {
        private final String type;
        private String maxUnavailable;
        private Integer canaryReplicas;
        private List<CanaryStep> steps;
        private Integer replicas;
        private String prePromotionAnalysis;
        private String postPromotionAnalysis;
        private Integer syntheticRequests;
        private Boolean autoPromote;
        private String scaleDownDelay;
        private AnalysisSpec analysis;
        private java.util.Map<String, String> flagOverrides;

        Spec(String type) {
            this.type = type;
        }

        Spec maxUnavailable(String value) {
            maxUnavailable = value;
            return this;
        }

        Spec canaryReplicas(int value) {
            canaryReplicas = value;
            return this;
        }

        Spec steps(CanaryStep... value) {
            steps = new ArrayList<>(Arrays.asList(value)); // as Jackson builds it: a list that may hold null
            return this;
        }

        Spec replicas(int value) {
            replicas = value;
            return this;
        }

        Spec prePromotionAnalysis(String value) {
            prePromotionAnalysis = value;
            return this;
        }

        Spec postPromotionAnalysis(String value) {
            postPromotionAnalysis = value;
            return this;
        }

        Spec syntheticRequests(int value) {
            syntheticRequests = value;
            return this;
        }

        Spec autoPromote(boolean value) {
            autoPromote = value;
            return this;
        }

        Spec scaleDownDelay(String value) {
            scaleDownDelay = value;
            return this;
        }

        Spec analysis(AnalysisSpec value) {
            analysis = value;
            return this;
        }

        Spec analysis(Analysis value) {
            return analysis(value.build());
        }

        /** Pairs of flag key and variant; a null variant is kept, as JSON {@code {"f": null}} reads. */
        Spec flagOverrides(String... keyAndVariant) {
            flagOverrides = new java.util.LinkedHashMap<>();
            for (int i = 0; i < keyAndVariant.length; i += 2) {
                flagOverrides.put(keyAndVariant[i], keyAndVariant[i + 1]);
            }
            return this;
        }

        StrategySpec build() {
            return new StrategySpec(type, maxUnavailable, canaryReplicas, steps, replicas, prePromotionAnalysis,
                    postPromotionAnalysis, syntheticRequests, autoPromote, scaleDownDelay, analysis, flagOverrides);
        }
    }

    /** Thresholds with one field set; the rest are filled in from the defaults by the rules. */
    private static final class Analysis {
        private Double maxErrorRate;
        private Integer maxP99Ms;
        private Double maxErrorRatio;
        private Double maxP99Ratio;
        private Double baselineErrorFloor;
        private Integer minRequests;
        private String inconclusive;
        private String interval;

        Analysis maxErrorRate(double value) {
            maxErrorRate = value;
            return this;
        }

        Analysis maxP99Ms(int value) {
            maxP99Ms = value;
            return this;
        }

        Analysis maxErrorRatio(double value) {
            maxErrorRatio = value;
            return this;
        }

        Analysis maxP99Ratio(double value) {
            maxP99Ratio = value;
            return this;
        }

        Analysis baselineErrorFloor(double value) {
            baselineErrorFloor = value;
            return this;
        }

        Analysis minRequests(int value) {
            minRequests = value;
            return this;
        }

        Analysis inconclusive(String value) {
            inconclusive = value;
            return this;
        }

        Analysis interval(String value) {
            interval = value;
            return this;
        }

        AnalysisSpec build() {
            return new AnalysisSpec(maxErrorRate, maxP99Ms, maxErrorRatio, maxP99Ratio, baselineErrorFloor,
                    minRequests, inconclusive, interval);
        }
    }
}
