package dev.stagecraft.rollout.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.stagecraft.contracts.StrategySpec;

/** The plans and what a promote or a rollback leaves of them, written as stage kinds with their figures. */
class PoolPlansTest {

    static String show(List<Stage> plan) {
        return plan.stream().map(s -> switch (s.kind()) {
            case PROVISION -> "P" + s.count();
            case WEIGH -> "W" + s.weights().entrySet().stream().filter(e -> !e.getKey().equals("stable"))
                    .findFirst().orElseThrow().getValue();
            case ANALYSE -> "A" + s.duration() + (s.syntheticRequests() > 0 ? "+" + s.syntheticRequests() : "")
                    + (s.baseline() ? "~" : "");
            case HOLD -> "H";
            case WAIT -> "T" + s.duration();
            case DECOMMISSION_OLD -> "Xold";
            case DECOMMISSION_NEW -> "Xnew";
            case PROMOTE_POOL -> "E";
        }).collect(Collectors.joining(" "));
    }

    @ParameterizedTest(name = "canary {0} over {1} stable instances: {2}")
    @CsvSource(delimiter = '|', value = {
            // steps (weight/window[/pause]), stable size, canary replicas, plan
            "5/30s 25/30s 50/30s | 4 | 1 | P1 W5 A30s~ W25 A30s~ W50 A30s~ P3 W100 Xold E",
            "10/1m/pause 100/5m  | 2 | 1 | P1 W10 A1m~ H W100 A5m~ P1 W100 Xold E",
            "50/10s              | 2 | 2 | P2 W50 A10s~ W100 Xold E",
            "50/10s              | 1 | 3 | P3 W50 A10s~ W100 Xold E",
    })
    void canary(String steps, int stable, int canaries, String plan) {
        List<StrategySpec.CanaryStep> parsed = java.util.Arrays.stream(steps.trim().split(" ")).map(step -> {
            String[] p = step.split("/");
            return new StrategySpec.CanaryStep(Integer.parseInt(p[0]), p[1], p.length > 2);
        }).toList();
        StrategySpec spec = new StrategySpec("canary", null, canaries, parsed, null, null, null, null, null, null, null);
        assertEquals(plan, show(PoolPlans.canary(spec, stable)));
    }

    @ParameterizedTest(name = "blue/green pre={0} post={1} auto={2} delay={3} blue={4} green={5}: {6}")
    @CsvSource(delimiter = '|', value = {
            "10s |     | true  | 30s | 4 | 4 | P4 A10s+200 W100 T30s Xold E",
            "    | 20s | true  | 0s  | 2 | 2 | P2 W100 A20s Xold E",
            "    |     | false | 1m  | 2 | 3 | P3 H W100 T1m Xold E",
            "5s  | 5s  | true  | 30s | 0 | 2 | P2 A5s+200 W100 A5s E",
    })
    void blueGreen(String pre, String post, boolean auto, String delay, int blue, int green, String plan) {
        StrategySpec spec = new StrategySpec("blue-green", null, null, null, null, pre, post, pre == null ? null : 200,
                auto, delay, null);
        assertEquals(plan, show(PoolPlans.blueGreen(spec, blue, green)));
    }

    @ParameterizedTest(name = "promote from {1} of [{0}] (full {2}): {3}")
    @CsvSource(delimiter = '|', value = {
            "P1 W5 A W25 A W50 A P3 W100 Xold E | 2 | false | P1 W5 W25 A W50 A P3 W100 Xold E",
            "P1 W5 A H W25 A P3 W100 Xold E     | 2 | false | P1 W5 W25 A P3 W100 Xold E",
            "P1 W5 A H W25 A P3 W100 Xold E     | 4 | false | P1 W5 A H W25 A P3 W100 Xold E",
            "P1 W5 A W25 A W50 A P3 W100 Xold E | 2 | true  | P1 W5 P3 W100 Xold E",
            "P4 A H W100 A T Xold E             | 1 | true  | P4 W100 Xold E",
            "P4 A H W100 A T Xold E             | 5 | false | P4 A H W100 A Xold E",
    })
    void promote(String plan, int from, boolean full, String after) {
        assertEquals(after, PoolPlans.promote(parse(plan), from, full).stream().map(Stage::label)
                .collect(Collectors.joining(" ")));
    }

    @ParameterizedTest(name = "rollback: traffic {0}, stable {1}, started {2}: {3}")
    @CsvSource(delimiter = '|', value = {
            "true  | true  | true  | W0 Xnew",
            "false | true  | true  | Xnew",
            "true  | false | true  | Xnew",
            "false | true  | false | ''",
    })
    void rollback(boolean traffic, boolean stable, boolean started, String plan) {
        assertEquals(plan, show(PoolPlans.rollback("canary", traffic, stable, started)));
    }

    /** Short plans for the promote table, each stage labelled with its own token: A analysis, T wait, H hold. */
    static List<Stage> parse(String plan) {
        return java.util.Arrays.stream(plan.trim().split(" ")).map(s -> switch (s.charAt(0)) {
            case 'P' -> Stage.provision("canary", Integer.parseInt(s.substring(1)), s);
            case 'W' -> Stage.weigh(PoolPlans.split("canary", Integer.parseInt(s.substring(1))), s);
            case 'A' -> Stage.analyse("30s", 0, false, s);
            case 'H' -> Stage.hold(s);
            case 'T' -> Stage.await("1s", s);
            case 'X' -> Stage.of(Stage.Kind.DECOMMISSION_OLD, s);
            case 'E' -> Stage.of(Stage.Kind.PROMOTE_POOL, s);
            default -> throw new IllegalArgumentException(s);
        }).toList();
    }
}
