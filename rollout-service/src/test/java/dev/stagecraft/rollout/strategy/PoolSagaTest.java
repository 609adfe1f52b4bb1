package dev.stagecraft.rollout.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stagecraft.contracts.AnalysisSpec;
import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstanceRef;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.contracts.StrategyRules;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.contracts.StrategySpec.CanaryStep;
import dev.stagecraft.contracts.TargetsResolved;
import dev.stagecraft.contracts.VerdictReached;

/**
 * Table-driven like {@link RollingSagaTest}: each row plays a script of facts against a fresh canary or
 * blue/green saga over a stable pool of two instances (a, b). What it sent, abbreviated: P + pool letter +
 * count (provision), W + the new pool's share (weights), A (analysis), X + instances (decommission; the
 * new pool's counted, the old pool's named), E + count (the new pool made stable), and || / >> for a pause
 * and a resume.
 */
class PoolSagaTest {
    private static final ReleaseSpec NEW = new ReleaseSpec("shop", "2.0.0", new ArtifactRef("file:/b.jar", "bb"), null);
    private static final ReleaseSpec OLD = new ReleaseSpec("shop", "1.0.0", new ArtifactRef("file:/a.jar", "aa"), null);

    static StrategySpec strategy(String name) {
        StrategySpec spec = switch (name) {
            case "canary" -> canary(null);
            case "canary-fail" -> canary(new AnalysisSpec(null, null, null, null, null, null, AnalysisSpec.FAIL, null));
            case "bg" -> new StrategySpec("blue-green", null, null, null, null, "10s", "10s", null, null, "30s", null);
            case "bg-manual" -> new StrategySpec("blue-green", null, null, null, null, null, null, null, false, "0s",
                    null);
            default -> throw new IllegalArgumentException(name);
        };
        StrategyRules.Checked checked = StrategyRules.check(spec);
        assertTrue(checked.ok(), checked.problems().toString());
        return checked.spec();
    }

    static StrategySpec canary(AnalysisSpec analysis) {
        return new StrategySpec("canary", null, null, List.of(new CanaryStep(10, "30s", null),
                new CanaryStep(50, "30s", true)), null, null, null, null, null, null, analysis);
    }

    static Stream<Arguments> scripts() {
        String toEnd = " provisioned pass weighted decommissioned enabled";
        return Stream.of(
                Arguments.of("canary: every step passes, held at 50% until resumed", "canary",
                        "targets provisioned pass weighted pass weighted pass resume" + toEnd,
                        "SUCCEEDED", "Pc1 W10 A W50 A || >> Pc1 W100 Xab E2"),
                Arguments.of("canary: first analysis fails, traffic back then canary removed", "canary",
                        "targets provisioned pass weighted fail weighted decommissioned",
                        "ROLLED_BACK", "Pc1 W10 A W0 X1"),
                Arguments.of("canary: fails its probes, removed without touching traffic", "canary",
                        "targets provisioned fail decommissioned", "ROLLED_BACK", "Pc1 X1"),
                Arguments.of("canary: inconclusive pauses, resume analyses again", "canary",
                        "targets provisioned pass weighted inconclusive resume pass weighted pass resume" + toEnd,
                        "SUCCEEDED", "Pc1 W10 A || >> A W50 A || >> Pc1 W100 Xab E2"),
                Arguments.of("canary: inconclusive with the fail policy rolls back", "canary-fail",
                        "targets provisioned pass weighted inconclusive weighted decommissioned",
                        "ROLLED_BACK", "Pc1 W10 A W0 X1"),
                Arguments.of("canary: promote during an analysis skips to the next step", "canary",
                        "targets provisioned pass weighted promote weighted pass resume" + toEnd,
                        "SUCCEEDED", "Pc1 W10 A W50 A || >> Pc1 W100 Xab E2"),
                Arguments.of("canary: promote all the way skips every analysis and hold", "canary",
                        "targets provisioned pass weighted promote-full" + toEnd,
                        "SUCCEEDED", "Pc1 W10 A Pc1 W100 Xab E2"),
                Arguments.of("canary: promote asked while weights move applies once they are confirmed", "canary",
                        "targets provisioned pass promote weighted weighted pass resume" + toEnd,
                        "SUCCEEDED", "Pc1 W10 W50 A || >> Pc1 W100 Xab E2"),
                Arguments.of("canary: pause during an analysis stops it; resume starts it again", "canary",
                        "targets provisioned pass weighted pause stale-pass resume pass weighted pass resume" + toEnd,
                        "SUCCEEDED", "Pc1 W10 A || >> A W50 A || >> Pc1 W100 Xab E2"),
                Arguments.of("canary: pause while weights move holds once they are confirmed", "canary",
                        "targets provisioned pass pause weighted resume pass weighted pass resume" + toEnd,
                        "SUCCEEDED", "Pc1 W10 || >> A W50 A || >> Pc1 W100 Xab E2"),
                Arguments.of("canary: rollback while the pool starts waits for its ids", "canary",
                        "targets rollback provisioned decommissioned", "ROLLED_BACK", "Pc1 X1"),
                Arguments.of("canary: rollback while paused", "canary",
                        "targets provisioned pass weighted inconclusive rollback weighted decommissioned",
                        "ROLLED_BACK", "Pc1 W10 A || W0 X1"),
                Arguments.of("canary: abort ends ABORTED", "canary",
                        "targets provisioned pass weighted abort weighted decommissioned", "ABORTED", "Pc1 W10 A W0 X1"),
                Arguments.of("canary: an analysis that never answers is asked again once, then rolls back", "canary",
                        "targets provisioned pass weighted deadline deadline weighted decommissioned",
                        "ROLLED_BACK", "Pc1 W10 A A W0 X1"),
                Arguments.of("canary: an analysis asked again answers, and the canary goes on", "canary",
                        "targets provisioned pass weighted deadline pass weighted pass resume" + toEnd,
                        "SUCCEEDED", "Pc1 W10 A A W50 A || >> Pc1 W100 Xab E2"),
                Arguments.of("canary: each analysis gets its own second chance", "canary",
                        "targets provisioned pass weighted deadline pass weighted deadline deadline weighted"
                                + " decommissioned",
                        "ROLLED_BACK", "Pc1 W10 A A W50 A A W0 X1"),
                Arguments.of("blue/green: a post-promotion analysis is asked again too", "bg",
                        "targets provisioned pass pass weighted deadline fail weighted decommissioned",
                        "ROLLED_BACK", "Pg2 A W100 A A W0 X2"),
                Arguments.of("canary: unconfirmed weights roll back", "canary",
                        "targets provisioned pass weighted-bad weighted decommissioned", "ROLLED_BACK", "Pc1 W10 W0 X1"),
                Arguments.of("canary: too late to roll back once the old pool is being removed", "canary",
                        "targets provisioned pass weighted promote-full provisioned pass weighted rollback"
                                + " decommissioned enabled",
                        "SUCCEEDED", "Pc1 W10 A Pc1 W100 Xab E2"),
                Arguments.of("canary: a rollback that cannot move traffic back needs a human", "canary",
                        "targets provisioned pass weighted fail weighted-bad", "FAILED", "Pc1 W10 A W0"),
                Arguments.of("canary on an empty fleet is refused", "canary", "empty", "FAILED", ""),
                Arguments.of("canary with no fleet is refused", "canary", "nofleet", "FAILED", ""),
                Arguments.of("canary over a fleet with strays from an earlier deployment is refused", "canary",
                        "strays", "FAILED", ""),
                Arguments.of("blue/green: analyses pass, blue kept for the delay, then removed", "bg",
                        "targets provisioned pass pass weighted pass deadline decommissioned enabled",
                        "SUCCEEDED", "Pg2 A W100 A Xab E2"),
                Arguments.of("blue/green: pre-promotion analysis fails, green removed, traffic never moved", "bg",
                        "targets provisioned pass fail decommissioned", "ROLLED_BACK", "Pg2 A X2"),
                Arguments.of("blue/green: post-promotion analysis fails, instant switch back", "bg",
                        "targets provisioned pass pass weighted fail weighted decommissioned",
                        "ROLLED_BACK", "Pg2 A W100 A W0 X2"),
                Arguments.of("blue/green: rollback while blue is kept", "bg",
                        "targets provisioned pass pass weighted pass rollback weighted decommissioned",
                        "ROLLED_BACK", "Pg2 A W100 A W0 X2"),
                Arguments.of("blue/green: promote during the wait removes blue at once", "bg",
                        "targets provisioned pass pass weighted pass promote decommissioned enabled",
                        "SUCCEEDED", "Pg2 A W100 A Xab E2"),
                Arguments.of("blue/green without auto-promote holds before the switch", "bg-manual",
                        "targets provisioned pass promote weighted decommissioned enabled",
                        "SUCCEEDED", "Pg2 || >> W100 Xab E2"),
                Arguments.of("blue/green on an empty fleet starts its replicas and has no blue to remove", "bg",
                        "empty provisioned pass pass weighted pass enabled", "SUCCEEDED", "Pg2 A W100 A E2"),
                Arguments.of("blue/green on an empty fleet with 0 replicas is refused", "bg", "empty-0", "FAILED", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void script(String name, String strategy, String facts, String endStatus, String requests) {
        PoolSaga saga = PoolSaga.start(new DeploymentRequested("d1", "shop", "2.0.0", "staging", NEW,
                strategy(strategy), "test", Instant.now()));
        List<String> sent = new ArrayList<>();
        record(saga.started(), sent);
        for (String fact : facts.split(" ")) {
            record(play(saga, fact), sent);
        }
        assertEquals(endStatus, saga.state().status, "status after: " + facts + "; sent " + sent);
        assertEquals(requests, String.join(" ", sent));
        assertTrue(saga.isDone());
    }

    @Test
    void anAnalysisComparesTheCanaryWithTheStablePoolUnderTheStrategysThresholds() {
        PoolSaga saga = canaryUpAndProbed();
        Effect.Analysis analysis = analysisIn(play(saga, "weighted"));
        assertEquals(30_000, analysis.request().windowMs());
        assertEquals(List.of("a", "b"), analysis.request().baseline().stream().map(t -> t.instanceId()).toList());
        assertEquals(1, analysis.request().pool().size());
        assertEquals(0.01, analysis.request().thresholds().maxErrorRate());
        assertEquals(Phase.ANALYSING, saga.state().phase);
        assertEquals(2 * 30_000 + PoolSaga.ANALYSIS_GRACE_MS, saga.state().phaseDeadlineMs);
        assertEquals(10, saga.state().newPoolWeight);
    }

    @Test
    void anAnalysisAskedAgainIsTheSameRequestUnderTheSameStep() {
        PoolSaga saga = canaryUpAndProbed();
        Effect.Analysis first = analysisIn(play(saga, "weighted"));
        Effect.Analysis again = analysisIn(play(saga, "deadline"));
        assertEquals(first.request(), again.request(), "health-monitor knows a request by its deployment and step");
        assertEquals(first.request().step(), saga.state().step);
        assertEquals(Phase.ANALYSING, saga.state().phase);
    }

    /** A canary saga whose canary instance is up and passed its probes: its next fact moves the traffic. */
    private static PoolSaga canaryUpAndProbed() {
        PoolSaga saga = PoolSaga.start(new DeploymentRequested("d1", "shop", "2.0.0", "staging", NEW,
                strategy("canary"), "test", Instant.now()));
        saga.started();
        play(saga, "targets");
        play(saga, "provisioned");
        play(saga, "pass");
        return saga;
    }

    private static Effect.Analysis analysisIn(List<Effect> effects) {
        return effects.stream().filter(Effect.Analysis.class::isInstance).map(Effect.Analysis.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no analysis in " + effects));
    }

    private static List<Effect> play(PoolSaga saga, String fact) {
        SagaState s = saga.state();
        return switch (fact) {
            case "targets" -> saga.onTargetsResolved(new TargetsResolved("d1", true, 2, Stream.of("a", "b")
                    .map(id -> new InstanceRef(id, "127.0.0.1:1", "IN_SERVICE", OLD, "stable")).toList()));
            case "strays" -> saga.onTargetsResolved(new TargetsResolved("d1", true, 2, List.of(
                    new InstanceRef("a", "127.0.0.1:1", "IN_SERVICE", OLD, "stable"),
                    new InstanceRef("z", "127.0.0.1:2", "IN_SERVICE", OLD, "canary"))));
            case "empty" -> saga.onTargetsResolved(new TargetsResolved("d1", true, 2, List.of()));
            case "empty-0" -> saga.onTargetsResolved(new TargetsResolved("d1", true, 0, List.of()));
            case "nofleet" -> saga.onTargetsResolved(new TargetsResolved("d1", false, 0, List.of()));
            case "provisioned" -> {
                StepRequest r = lastRequest(s);
                List<InstanceOutcome> started = new ArrayList<>();
                for (int i = 0; i < r.count(); i++) {
                    started.add(new InstanceOutcome("n" + s.step + i, "127.0.0.1:9", "2.0.0", true, null));
                }
                yield saga.onInstancesChanged(EventTypes.INSTANCES_PROVISIONED, new InstancesChanged("d1", s.step,
                        started));
            }
            case "weighted" -> saga.onInstancesChanged(EventTypes.INSTANCES_WEIGHTED, outcome(s.step, true));
            case "weighted-bad" -> saga.onInstancesChanged(EventTypes.INSTANCES_WEIGHTED, outcome(s.step, false));
            case "decommissioned" -> saga.onInstancesChanged(EventTypes.INSTANCES_DECOMMISSIONED, outcome(s.step, true));
            case "enabled" -> saga.onInstancesChanged(EventTypes.INSTANCES_ENABLED, outcome(s.step, true));
            case "pass" -> saga.onVerdict(verdict(s.step, VerdictReached.PASS));
            case "stale-pass" -> saga.onVerdict(verdict(s.step - 1, VerdictReached.PASS));
            case "fail" -> saga.onVerdict(verdict(s.step, VerdictReached.FAIL));
            case "inconclusive" -> saga.onVerdict(verdict(s.step, VerdictReached.INCONCLUSIVE));
            case "pause" -> saga.onPauseRequested("alice");
            case "resume" -> saga.onResumeRequested("alice");
            case "promote" -> saga.onPromoteRequested("alice", false);
            case "promote-full" -> saga.onPromoteRequested("alice", true);
            case "rollback" -> saga.onRollbackRequested("by hand");
            case "abort" -> saga.onAbortRequested("by hand");
            case "deadline" -> saga.onDeadlineMissed();
            default -> throw new IllegalArgumentException(fact);
        };
    }

    private static StepRequest lastRequest(SagaState s) {
        return s.pending.request();
    }

    private static InstancesChanged outcome(int step, boolean ok) {
        return new InstancesChanged("d1", step, List.of(new InstanceOutcome("a", "x", "2.0.0", ok, ok ? null : "boom",
                "stable", 100)));
    }

    private static VerdictReached verdict(int step, String result) {
        return new VerdictReached("v", "d1", step, result, "error rate 30%", List.of(), Instant.now());
    }

    private static void record(List<Effect> effects, List<String> sent) {
        for (Effect e : effects) {
            if (e instanceof Effect.Analysis) {
                sent.add("A");
            } else if (e instanceof Effect.Lifecycle l && l.type().equals(EventTypes.DEPLOYMENT_PAUSED)) {
                sent.add("||");
            } else if (e instanceof Effect.Lifecycle l && l.type().equals(EventTypes.DEPLOYMENT_RESUMED)) {
                sent.add(">>");
            } else if (e instanceof Effect.Command c && !c.type().equals(EventTypes.RESOLVE_REQUESTED)) {
                StepRequest r = c.request();
                sent.add(switch (c.type()) {
                    case EventTypes.PROVISION_REQUESTED -> "P" + r.pool().charAt(0) + r.count();
                    case EventTypes.WEIGHTS_REQUESTED -> "W" + r.weights().entrySet().stream()
                            .filter(w -> !w.getKey().equals("stable")).findFirst().orElseThrow().getValue();
                    case EventTypes.DECOMMISSION_REQUESTED -> "X" + (r.instanceIds().contains("a")
                            ? String.join("", r.instanceIds()) : String.valueOf(r.instanceIds().size()));
                    case EventTypes.ENABLE_REQUESTED -> "E" + r.instanceIds().size();
                    default -> c.type();
                });
            }
        }
    }
}
