package dev.stagecraft.rollout.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.stagecraft.contracts.Durations;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.contracts.StrategySpec.CanaryStep;

/**
 * Turns a canary or blue/green strategy into the stages the saga walks, and works out what a promote or a
 * rollback leaves of them. Pure: the plans are tested as tables.
 */
public final class PoolPlans {
    public static final String STABLE = StepRequest.STABLE;
    public static final String CANARY = "canary";
    public static final String GREEN = "green";

    /**
     * Canary: start the canary pool, walk the weight steps (each analysed against the stable pool, held
     * where asked), then grow the canary pool to the fleet's size, give it all the traffic, remove the
     * stable pool and make the canary pool the stable one.
     */
    public static List<Stage> canary(StrategySpec spec, int stableSize) {
        List<Stage> plan = new ArrayList<>();
        int canaries = spec.canaryReplicas();
        plan.add(Stage.provision(CANARY, canaries, "start the canary pool (" + canaries + " instance"
                + (canaries == 1 ? "" : "s") + ")"));
        List<CanaryStep> steps = spec.steps();
        for (int i = 0; i < steps.size(); i++) {
            CanaryStep step = steps.get(i);
            String name = "step " + (i + 1) + "/" + steps.size();
            plan.add(Stage.weigh(split(CANARY, step.weight()), name + ": canary at " + step.weight() + "%"));
            plan.add(Stage.analyse(step.analysis(), 0, true, "analysis of " + name + " (" + step.weight() + "%, "
                    + step.analysis() + ")"));
            if (step.pauses()) {
                plan.add(Stage.hold("holding at " + name + " until resumed or promoted"));
            }
        }
        int more = stableSize - canaries;
        if (more > 0) {
            plan.add(Stage.provision(CANARY, more, "grow the canary pool to the fleet's " + stableSize + " instances"));
        }
        plan.add(Stage.weigh(split(CANARY, 100), "all traffic to the canary pool"));
        plan.add(Stage.of(Stage.Kind.DECOMMISSION_OLD, "remove the old stable pool"));
        plan.add(Stage.of(Stage.Kind.PROMOTE_POOL, "the canary pool becomes the stable pool"));
        return plan;
    }

    /**
     * Blue/green: start green (as large as blue, or the fleet's replicas when there is no blue), optionally
     * analyse it before the switch on synthetic traffic, optionally wait for a promote, switch all traffic in
     * one step, optionally analyse after the switch, keep blue for the scale-down delay, then remove it.
     */
    public static List<Stage> blueGreen(StrategySpec spec, int blueSize, int greenSize) {
        List<Stage> plan = new ArrayList<>();
        plan.add(Stage.provision(GREEN, greenSize, "start the green pool (" + greenSize + " instance"
                + (greenSize == 1 ? "" : "s") + ")"));
        if (spec.prePromotionAnalysis() != null) {
            int synthetic = spec.syntheticRequests() == null ? 0 : spec.syntheticRequests();
            plan.add(Stage.analyse(spec.prePromotionAnalysis(), synthetic, false, "pre-promotion analysis of green ("
                    + spec.prePromotionAnalysis() + ", " + synthetic + " synthetic requests)"));
        }
        if (Boolean.FALSE.equals(spec.autoPromote())) {
            plan.add(Stage.hold("green is ready: waiting for a promote before the switch"));
        }
        plan.add(Stage.weigh(split(GREEN, 100), "switch all traffic to green"));
        if (spec.postPromotionAnalysis() != null) {
            plan.add(Stage.analyse(spec.postPromotionAnalysis(), 0, false, "post-promotion analysis of green ("
                    + spec.postPromotionAnalysis() + ")"));
        }
        if (blueSize > 0) {
            if (!Durations.of(spec.scaleDownDelay()).isZero()) {
                plan.add(Stage.await(spec.scaleDownDelay(), "keeping blue for " + spec.scaleDownDelay()
                        + " so that a rollback is an instant switch back"));
            }
            plan.add(Stage.of(Stage.Kind.DECOMMISSION_OLD, "remove blue"));
        }
        plan.add(Stage.of(Stage.Kind.PROMOTE_POOL, "green becomes the stable pool"));
        return plan;
    }

    /**
     * What a rollback does from here: traffic back to the stable pool if the new pool ever had any (and there
     * is a stable pool to take it), then the new pool removed if any of it was started.
     */
    public static List<Stage> rollback(String newPool, boolean newPoolHadTraffic, boolean stableExists,
            boolean newPoolStarted) {
        List<Stage> plan = new ArrayList<>();
        if (newPoolHadTraffic && stableExists) {
            plan.add(Stage.weigh(split(newPool, 0), "all traffic back to the stable pool"));
        }
        if (newPoolStarted) {
            plan.add(Stage.of(Stage.Kind.DECOMMISSION_NEW, "remove the " + newPool + " pool"));
        }
        return plan;
    }

    /**
     * Where a promote continues from {@code from} (the stage in progress or due next): past the gate there and
     * the holds right after it. {@code full} goes further: every later gate and every weight step but the last
     * are dropped. Answers the new plan; the saga continues at index {@code from} of it.
     */
    public static List<Stage> promote(List<Stage> plan, int from, boolean full) {
        List<Stage> done = new ArrayList<>(plan.subList(0, from));
        List<Stage> rest = new ArrayList<>(plan.subList(from, plan.size()));
        if (full) {
            int lastWeigh = -1;
            for (int i = 0; i < rest.size(); i++) {
                if (rest.get(i).kind() == Stage.Kind.WEIGH) {
                    lastWeigh = i;
                }
            }
            List<Stage> kept = new ArrayList<>();
            for (int i = 0; i < rest.size(); i++) {
                Stage stage = rest.get(i);
                if (!stage.kind().isGate() && (stage.kind() != Stage.Kind.WEIGH || i == lastWeigh)) {
                    kept.add(stage);
                }
            }
            rest = kept;
        } else {
            if (!rest.isEmpty() && rest.get(0).kind().isGate()) {
                rest.remove(0);
            }
            while (!rest.isEmpty() && rest.get(0).kind() == Stage.Kind.HOLD) {
                rest.remove(0);
            }
        }
        done.addAll(rest);
        return done;
    }

    /** {@code pool} gets {@code percent} of the traffic, the stable pool the rest. */
    static Map<String, Integer> split(String pool, int percent) {
        return Map.of(pool, percent, STABLE, 100 - percent);
    }

    private PoolPlans() {
    }
}
