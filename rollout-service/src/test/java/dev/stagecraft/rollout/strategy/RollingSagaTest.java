package dev.stagecraft.rollout.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstanceRef;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.contracts.TargetsResolved;
import dev.stagecraft.contracts.VerdictReached;

/**
 * Table-driven: each row is a script of facts, written as words, played against a fresh saga over
 * a fleet of four instances (a, b, c, d at 1.0.0) moving to 2.0.0. The row names the status the
 * saga ends in and the requests it sent, abbreviated: U=update (f forward / r restore), V=verify
 * (no request: waiting), E=enable, P=provision, X=decommission.
 */
class RollingSagaTest {
    private static final ReleaseSpec OLD = new ReleaseSpec("shop", "1.0.0", new ArtifactRef("file:/a.jar", "aa"), null);
    private static final ReleaseSpec NEW = new ReleaseSpec("shop", "2.0.0", new ArtifactRef("file:/b.jar", "bb"), null);

    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of("happy path, one at a time", "1",
                        "targets updated pass enabled updated pass enabled updated pass enabled updated pass enabled",
                        "SUCCEEDED", "Uf Ea Uf Eb Uf Ec Uf Ed"),
                Arguments.of("two at a time", "2",
                        "targets updated pass enabled updated pass enabled",
                        "SUCCEEDED", "Uf Eab Uf Ecd"),
                Arguments.of("first batch fails its verdict: only it is restored", "1",
                        "targets updated fail updated pass enabled",
                        "ROLLED_BACK", "Uf Ur Ea"),
                Arguments.of("third batch fails: c, b, a restored in that order", "1",
                        "targets updated pass enabled updated pass enabled updated fail"
                                + " updated pass enabled updated pass enabled updated pass enabled",
                        "ROLLED_BACK", "Uf Ea Uf Eb Uf Ur Ec Ur Eb Ur Ea"),
                Arguments.of("an instance fails to start", "1",
                        "targets updated-bad updated pass enabled",
                        "ROLLED_BACK", "Uf Ur Ea"),
                Arguments.of("operator rollback mid-way restores all touched batches", "1",
                        "targets updated pass enabled updated rollback updated pass enabled updated pass enabled",
                        "ROLLED_BACK", "Uf Ea Uf Ur Eb Ur Ea"),
                Arguments.of("operator abort restores only the batch in flight", "1",
                        "targets updated pass enabled updated abort updated pass enabled",
                        "ABORTED", "Uf Ea Uf Ur Eb"),
                Arguments.of("abort before the fleet is known changes nothing", "1", "abort",
                        "ABORTED", ""),
                Arguments.of("a forward deadline asks again, and a second one turns the saga round", "1",
                        "targets updated pass enabled updated deadline deadline updated pass enabled updated pass"
                                + " enabled",
                        "ROLLED_BACK", "Uf Ea Uf Uf Ur Eb Ur Ea"),
                Arguments.of("an answer to a step asked again still counts", "1",
                        "targets updated pass enabled updated deadline pass enabled updated pass enabled"
                                + " updated pass enabled",
                        "SUCCEEDED", "Uf Ea Uf Uf Eb Uf Ec Uf Ed"),
                Arguments.of("a restore that fails verification needs a human", "1",
                        "targets updated fail updated fail",
                        "FAILED", "Uf Ur"),
                Arguments.of("a stuck rollback is asked again, re-sent twice, then given up", "1",
                        "targets updated fail deadline deadline deadline deadline",
                        "FAILED", "Uf Ur Ur Ur Ur"),
                Arguments.of("stale answers are ignored", "1",
                        "targets updated stale-pass pass stale-enabled enabled updated pass enabled updated pass enabled"
                                + " updated pass enabled",
                        "SUCCEEDED", "Uf Ea Uf Eb Uf Ec Uf Ed"),
                Arguments.of("a second rollback request changes nothing", "2",
                        "targets updated fail rollback updated pass enabled",
                        "ROLLED_BACK", "Uf Ur Eab"),
                Arguments.of("empty fleet: provision, verify, enable", "1",
                        "empty provisioned pass enabled", "SUCCEEDED", "P Epq"),
                Arguments.of("empty fleet, failing verdict: decommission", "1",
                        "empty provisioned fail decommissioned", "ROLLED_BACK", "P Xpq"),
                Arguments.of("empty fleet, rollback while provisioning waits for the answer", "1",
                        "empty rollback provisioned decommissioned", "ROLLED_BACK", "P Xpq"),
                Arguments.of("no fleet", "1", "nofleet", "FAILED", ""),
                Arguments.of("an instance that cannot be put back in service turns the saga round", "1",
                        "targets updated pass enabled-bad updated pass enabled", "ROLLED_BACK", "Uf Ea Ur Ea"),
                Arguments.of("a rollback that cannot remove what it provisioned needs a human", "1",
                        "empty provisioned fail decommissioned-bad", "FAILED", "P Xpq"),
                Arguments.of("provisioning that never answers while rolling back is asked again, then needs a human",
                        "1", "empty rollback deadline deadline", "FAILED", "P P"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void script(String name, String maxUnavailable, String facts, String endStatus, String requests) {
        RollingSaga saga = RollingSaga.start(new DeploymentRequested("d1", "shop", "2.0.0", "staging", NEW,
                StrategySpec.rolling(maxUnavailable), "test", Instant.now()));
        List<String> sent = new ArrayList<>();
        record(saga.started(), sent);
        for (String fact : facts.split(" ")) {
            if (!fact.isEmpty()) {
                record(play(saga, fact), sent);
            }
        }
        assertEquals(endStatus, saga.state().status, "status after: " + facts);
        assertEquals(requests, String.join(" ", sent));
        assertTrue(saga.isDone());
    }

    @Test
    void neverMoreThanMaxUnavailableOutOfService() {
        RollingSaga saga = RollingSaga.start(new DeploymentRequested("d1", "shop", "2.0.0", "staging", NEW,
                StrategySpec.rolling("2"), "test", Instant.now()));
        Set<String> out = new HashSet<>();
        int worst = 0;
        String script = "targets updated pass enabled updated fail updated pass enabled updated pass enabled";
        for (String fact : script.split(" ")) {
            for (Effect e : play(saga, fact)) {
                if (e instanceof Effect.Command c && c.type().equals(EventTypes.UPDATE_REQUESTED)) {
                    c.request().assignments().forEach(a -> out.add(a.instanceId()));
                }
                if (e instanceof Effect.Command c && c.type().equals(EventTypes.ENABLE_REQUESTED)) {
                    c.request().instanceIds().forEach(out::remove);
                }
                worst = Math.max(worst, out.size());
            }
        }
        assertEquals("ROLLED_BACK", saga.state().status);
        assertEquals(2, worst);
        assertTrue(out.isEmpty(), "everything back in service: " + out);
    }

    @Test
    void restoreGoesBackToWhatEachInstanceRan() {
        RollingSaga saga = RollingSaga.start(new DeploymentRequested("d1", "shop", "2.0.0", "staging", NEW,
                StrategySpec.rolling("1"), "test", Instant.now()));
        play(saga, "targets");
        play(saga, "updated");
        List<Effect> effects = play(saga, "fail");
        StepRequest restore = effects.stream().filter(Effect.Command.class::isInstance).map(Effect.Command.class::cast)
                .findFirst().orElseThrow().request();
        assertEquals(OLD, restore.assignments().get(0).release());
        assertTrue(effects.stream().anyMatch(e -> e instanceof Effect.Lifecycle l
                && l.message().contains("verdict FAIL") && l.message().contains("readiness 503")));
    }

    private static List<Effect> play(RollingSaga saga, String fact) {
        SagaState s = saga.state();
        return switch (fact) {
            case "targets" -> saga.onTargetsResolved(new TargetsResolved("d1", true, 4, Stream.of("a", "b", "c", "d")
                    .map(id -> new InstanceRef(id, "127.0.0.1:1", "IN_SERVICE", OLD)).toList()));
            case "empty" -> saga.onTargetsResolved(new TargetsResolved("d1", true, 2, List.of()));
            case "nofleet" -> saga.onTargetsResolved(new TargetsResolved("d1", false, 0, List.of()));
            case "updated" -> saga.onInstancesChanged(EventTypes.INSTANCES_UPDATED, outcome(s.step, true));
            case "updated-bad" -> saga.onInstancesChanged(EventTypes.INSTANCES_UPDATED, outcome(s.step, false));
            case "provisioned" -> saga.onInstancesChanged(EventTypes.INSTANCES_PROVISIONED,
                    new InstancesChanged("d1", s.step, List.of(new InstanceOutcome("p", "x", "2.0.0", true, null),
                            new InstanceOutcome("q", "x", "2.0.0", true, null))));
            case "enabled" -> saga.onInstancesChanged(EventTypes.INSTANCES_ENABLED, outcome(s.step, true));
            case "enabled-bad" -> saga.onInstancesChanged(EventTypes.INSTANCES_ENABLED, outcome(s.step, false));
            case "decommissioned-bad" -> saga.onInstancesChanged(EventTypes.INSTANCES_DECOMMISSIONED,
                    outcome(s.step, false));
            case "decommissioned" -> saga.onInstancesChanged(EventTypes.INSTANCES_DECOMMISSIONED, outcome(s.step, true));
            case "stale-enabled" -> saga.onInstancesChanged(EventTypes.INSTANCES_ENABLED, outcome(s.step - 1, true));
            case "pass" -> saga.onVerdict(verdict(s.step, VerdictReached.PASS));
            case "stale-pass" -> saga.onVerdict(verdict(s.step - 1, VerdictReached.PASS));
            case "fail" -> saga.onVerdict(verdict(s.step, VerdictReached.FAIL));
            case "rollback" -> saga.onRollbackRequested("by hand");
            case "abort" -> saga.onAbortRequested("by hand");
            case "deadline" -> saga.onDeadlineMissed();
            default -> throw new IllegalArgumentException(fact);
        };
    }

    private static InstancesChanged outcome(int step, boolean ok) {
        return new InstancesChanged("d1", step, List.of(new InstanceOutcome("a", "x", "2.0.0", ok, ok ? null : "boom")));
    }

    private static VerdictReached verdict(int step, String result) {
        return new VerdictReached("v", "d1", step, result, "readiness 503", List.of(), Instant.now());
    }

    private static void record(List<Effect> effects, List<String> sent) {
        for (Effect e : effects) {
            if (e instanceof Effect.Command c && !c.type().equals(EventTypes.RESOLVE_REQUESTED)) {
                StepRequest r = c.request();
                sent.add(switch (c.type()) {
                    case EventTypes.UPDATE_REQUESTED -> r.assignments().get(0).release().version().equals("2.0.0")
                            ? "Uf" : "Ur";
                    case EventTypes.ENABLE_REQUESTED -> "E" + String.join("", r.instanceIds());
                    case EventTypes.PROVISION_REQUESTED -> "P";
                    case EventTypes.DECOMMISSION_REQUESTED -> "X" + String.join("", r.instanceIds());
                    default -> c.type();
                });
            }
        }
    }

    static Stream<Arguments> lists() {
        List<String> twenty = java.util.stream.IntStream.range(0, 20).mapToObj(i -> "i-" + i).toList();
        List<String> thousand = java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "i-" + i).toList();
        return Stream.of(
                Arguments.of(List.of(), "[]"),
                Arguments.of(List.of("i-a", "i-b"), "[i-a, i-b]"),
                Arguments.of(twenty, twenty.toString()),
                Arguments.of(java.util.stream.IntStream.range(0, 21).mapToObj(i -> "i-" + i).toList(),
                        "[i-0, i-1, i-2, … 18 more]"),
                Arguments.of(thousand, "[i-0, i-1, i-2, … 997 more]"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("lists")
    void messagesListShortBatchesWholeAndLongOnesByTheirFirstIdsAndCount(List<String> ids, String listed) {
        assertEquals(listed, RollingSaga.listed(ids));
    }
}
