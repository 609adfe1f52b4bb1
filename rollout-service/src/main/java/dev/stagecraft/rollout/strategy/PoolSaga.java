package dev.stagecraft.rollout.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.AnalysisRequest;
import dev.stagecraft.contracts.AnalysisSpec;
import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.Durations;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstanceRef;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.contracts.TargetsResolved;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.rollout.strategy.Stage.Kind;

/**
 * Canary and blue/green as one state machine: both start a new pool beside the stable one, move traffic
 * between the pools through the router (each weight confirmed before going on), judge the new pool by
 * probes and metric analysis, and end by making the new pool the stable one. The stages come from
 * {@link PoolPlans}; this class walks them and turns round when a stage goes bad: traffic back to the
 * stable pool, the new pool removed.
 *
 * <p>Pure, like {@link RollingSaga}: each method takes one fact and answers the effects to carry out.
 * Every request, analysis, wait and hold gets its own step number, so a late answer to an earlier one
 * is recognised and ignored.
 */
public final class PoolSaga extends SagaBase {
    /** An analysis may outlive its window by this much (scrapes, a health-monitor restart) before it counts as lost. */
    static final long ANALYSIS_GRACE_MS = 60_000;

    public PoolSaga(SagaState state) {
        super(state);
    }

    public static PoolSaga start(DeploymentRequested request) {
        SagaState state = SagaState.of(request);
        state.newPool = StrategySpec.CANARY.equals(state.strategyType) ? PoolPlans.CANARY : PoolPlans.GREEN;
        return new PoolSaga(state);
    }

    @Override
    public List<Effect> started() {
        return List.of(lifecycle(EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS",
                s.strategyType + " deployment of " + s.version + "; resolving the fleet"),
                send(EventTypes.RESOLVE_REQUESTED, StepRequest.forInstances(s.deploymentId, nextStep(), s.service,
                        s.environment, List.of())));
    }

    @Override
    public List<Effect> onTargetsResolved(TargetsResolved targets) {
        if (s.phase != Phase.RESOLVING) {
            return List.of();
        }
        if (!targets.fleetExists()) {
            return noFleet();
        }
        List<String> strays = targets.instances().stream().filter(i -> !isStable(i))
                .map(i -> i.instanceId() + " (pool " + i.pool() + ")").toList();
        if (!strays.isEmpty()) {
            return fail("the fleet has instances outside the stable pool, left by an earlier deployment: " + strays
                    + "; nothing was changed");
        }
        targets.instances().forEach(i -> s.stablePool.put(i.instanceId(), i.address()));
        int stable = s.stablePool.size();
        if (PoolPlans.CANARY.equals(s.newPool)) {
            if (stable == 0) {
                return fail("a canary needs a stable pool to compare with and to fall back to, and the fleet of "
                        + s.service + " in " + s.environment + " is empty; deploy it first with rolling or blue-green");
            }
            s.plan = PoolPlans.canary(s.strategy, stable);
        } else {
            int green = s.strategy.replicas() != null ? s.strategy.replicas()
                    : stable > 0 ? stable : targets.desiredReplicas();
            if (green <= 0) {
                return fail("the fleet of " + s.service + " in " + s.environment + " is empty and has 0 replicas:"
                        + " set strategy.replicas or the fleet's replicas; nothing was changed");
            }
            s.plan = PoolPlans.blueGreen(s.strategy, stable, green);
        }
        s.stageIndex = 0;
        List<Effect> effects = new ArrayList<>();
        effects.add(progress("planned: " + s.plan.stream().map(Stage::label).collect(Collectors.joining(" → "))));
        effects.addAll(runStage());
        return effects;
    }

    @Override
    public List<Effect> onInstancesChanged(String type, InstancesChanged changed) {
        if (!awaited(type, changed)) {
            return List.of();
        }
        return switch (s.phase) {
            case PROVISIONING -> provisioned(changed);
            case WEIGHTING -> weighted(changed);
            case DECOMMISSIONING -> decommissioned(changed);
            case ENABLING -> promoted(changed);
            default -> List.of();
        };
    }

    @Override
    public List<Effect> onVerdict(VerdictReached verdict) {
        if (verdict.step() != s.step || s.rollingBack || isDone()) {
            return List.of();
        }
        if (s.phase == Phase.VERIFYING) {
            return VerdictReached.PASS.equals(verdict.result())
                    ? withFirst(progress("the " + s.newPool + " pool is live and ready: " + verdict.reason()), advance())
                    : rollBack("verdict " + verdict.result() + " for the " + s.newPool + " pool: " + verdict.reason(),
                            "ROLLED_BACK");
        }
        if (s.phase != Phase.ANALYSING) {
            return List.of();
        }
        String what = current().label();
        return switch (verdict.result()) {
            case VerdictReached.PASS -> withFirst(progress(what + " passed: " + verdict.reason()), advance());
            case VerdictReached.INCONCLUSIVE -> AnalysisSpec.PAUSE.equals(thresholds().inconclusive())
                    ? pause(what + " was INCONCLUSIVE: " + verdict.reason() + "; resume to analyse again, promote"
                            + " to skip it, or roll back")
                    : rollBack(what + " was INCONCLUSIVE and the policy is to fail: " + verdict.reason(), "ROLLED_BACK");
            default -> rollBack(what + " failed: " + verdict.reason(), "ROLLED_BACK");
        };
    }

    @Override
    public List<Effect> onRollbackRequested(String reason) {
        return stop("rollback requested: " + reason, "ROLLED_BACK");
    }

    @Override
    public List<Effect> onAbortRequested(String reason) {
        return stop("abort requested: " + reason, "ABORTED");
    }

    @Override
    public List<Effect> onPauseRequested(String by) {
        if (isDone() || s.rollingBack || s.phase == Phase.PAUSED || s.pauseRequested) {
            return List.of();
        }
        if (s.phase == Phase.ANALYSING || s.phase == Phase.WAITING) {
            return pause("paused by " + by + " during " + current().label() + "; resuming starts it again");
        }
        s.pauseRequested = true;
        return List.of(progress("pause requested by " + by + ": pausing once " + inFlight() + " is done"));
    }

    @Override
    public List<Effect> onResumeRequested(String by) {
        if (s.phase != Phase.PAUSED || isDone()) {
            return List.of();
        }
        s.status = "IN_PROGRESS";
        return withFirst(lifecycle(EventTypes.DEPLOYMENT_RESUMED, "IN_PROGRESS", "resumed by " + by), runStage());
    }

    @Override
    public List<Effect> onPromoteRequested(String by, boolean full) {
        if (isDone() || s.rollingBack || s.oldPoolRemoved) {
            return List.of();
        }
        String how = full ? "all the way" : "to the next step";
        boolean atGate = s.phase == Phase.ANALYSING || s.phase == Phase.WAITING || s.phase == Phase.PAUSED;
        if (!atGate) {
            s.promoteRequested = full ? "full" : "next";
            return List.of(progress("promote " + how + " requested by " + by + ": applied once " + inFlight()
                    + " is done"));
        }
        boolean wasPaused = s.phase == Phase.PAUSED;
        s.plan = PoolPlans.promote(s.plan, s.stageIndex, full);
        s.status = "IN_PROGRESS";
        s.pauseRequested = false;
        String message = "promoted " + how + " by " + by;
        return withFirst(wasPaused ? lifecycle(EventTypes.DEPLOYMENT_RESUMED, "IN_PROGRESS", message)
                : progress(message), runStage());
    }

    @Override
    public List<Effect> onDeadlineMissed() {
        if (isDone() || s.phase == Phase.PAUSED) {
            return List.of();
        }
        if (s.phase == Phase.WAITING && !s.rollingBack) {
            return withFirst(progress(current().label() + ": done"), advance());
        }
        String what = s.phase.name().toLowerCase() + " of step " + s.step;
        List<Effect> askedAgain = askAgain(what);
        if (!askedAgain.isEmpty()) {
            return askedAgain;
        }
        if (s.phase == Phase.RESOLVING) {
            return fail("inventory-service did not list the fleet before the deadline; nothing was changed");
        }
        if (!s.rollingBack && !s.oldPoolRemoved) {
            return rollBack(s.phase == Phase.ANALYSING ? current().label() + " gave no verdict in time"
                    : what + " missed its deadline", "ROLLED_BACK");
        }
        if (s.phase == Phase.PROVISIONING) {
            return fail("rollback stalled: provisioning never answered, so the instances it may have started are"
                    + " unknown; check GET /api/v1/instances");
        }
        List<Effect> again = resendPending(what);
        return again.isEmpty() ? fail((s.rollingBack ? "rollback" : "the deployment") + " stalled: " + what
                + " missed its deadline " + (s.resends + 1) + " times") : again;
    }

    // --- walking the plan ---

    /** Starts the stage at {@code stageIndex}, or ends the saga when the plan is walked. */
    private List<Effect> runStage() {
        s.phaseDeadlineMs = null;
        if (s.stageIndex >= s.plan.size()) {
            return s.rollingBack ? finishRollback() : succeed();
        }
        Stage stage = current();
        if (s.pauseRequested && !s.rollingBack) {
            s.pauseRequested = false;
            return pause("paused by request before: " + stage.label());
        }
        return switch (stage.kind()) {
            case PROVISION -> request(Phase.PROVISIONING, stage, EventTypes.PROVISION_REQUESTED,
                    StepRequest.provision(s.deploymentId, nextStep(), s.service, s.environment, stage.count(),
                            s.target, stage.pool()));
            case WEIGH -> request(Phase.WEIGHTING, stage, EventTypes.WEIGHTS_REQUESTED,
                    StepRequest.weigh(s.deploymentId, nextStep(), s.service, s.environment, stage.weights()));
            case DECOMMISSION_OLD -> {
                s.oldPoolRemoved = true;
                yield request(Phase.DECOMMISSIONING, stage, EventTypes.DECOMMISSION_REQUESTED, StepRequest
                        .forInstances(s.deploymentId, nextStep(), s.service, s.environment, ids(s.stablePool)));
            }
            case DECOMMISSION_NEW -> request(Phase.DECOMMISSIONING, stage, EventTypes.DECOMMISSION_REQUESTED,
                    StepRequest.forInstances(s.deploymentId, nextStep(), s.service, s.environment,
                            ids(s.newPoolInstances)));
            case PROMOTE_POOL -> request(Phase.ENABLING, stage, EventTypes.ENABLE_REQUESTED, StepRequest.enable(
                    s.deploymentId, nextStep(), s.service, s.environment, ids(s.newPoolInstances), PoolPlans.STABLE));
            case ANALYSE -> analyse(stage);
            case WAIT -> {
                s.phase = Phase.WAITING;
                nextStep();
                s.pending = null;
                s.phaseDeadlineMs = Durations.of(stage.duration()).toMillis();
                yield List.of(progress(stage.label()));
            }
            case HOLD -> {
                s.stageIndex++;
                yield pause(stage.label());
            }
        };
    }

    private List<Effect> request(Phase phase, Stage stage, String type, StepRequest request) {
        s.phase = phase;
        return List.of(progress((s.rollingBack ? "rolling back: " : "") + stage.label()), send(type, request));
    }

    private List<Effect> analyse(Stage stage) {
        long window = Durations.of(stage.duration()).toMillis();
        s.phase = Phase.ANALYSING;
        s.pending = null;
        s.askedAgain = false;
        s.phaseDeadlineMs = 2 * window + ANALYSIS_GRACE_MS;
        AnalysisRequest request = new AnalysisRequest(s.deploymentId, nextStep(), s.service, s.environment,
                s.newPool, targets(s.newPoolInstances), stage.baseline() ? targets(s.stablePool) : List.of(),
                window, thresholds(), stage.syntheticRequests());
        s.pendingAnalysis = request;
        return List.of(progress(stage.label() + ": started"), new Effect.Analysis(request));
    }

    /** The stage is done: on to the next, applying a promote asked for while it ran. */
    private List<Effect> advance() {
        s.stageIndex++;
        if (s.promoteRequested != null && !s.rollingBack) {
            s.plan = PoolPlans.promote(s.plan, s.stageIndex, "full".equals(s.promoteRequested));
            s.promoteRequested = null;
        }
        return runStage();
    }

    private List<Effect> provisioned(InstancesChanged changed) {
        changed.outcomes().stream().filter(InstanceOutcome::ok)
                .forEach(o -> s.newPoolInstances.put(o.instanceId(), o.address()));
        if (s.rollingBack) {
            // A rollback asked for while the pool was starting: now it is known what to remove.
            return startRollback();
        }
        if (!changed.allOk()) {
            return rollBack("starting the " + s.newPool + " pool failed: " + failures(changed), "ROLLED_BACK");
        }
        s.phase = Phase.VERIFYING;
        return List.of(progress("started " + changed.outcomes().stream().map(InstanceOutcome::instanceId).toList()
                + " in the " + s.newPool + " pool; verifying"));
    }

    private List<Effect> weighted(InstancesChanged changed) {
        if (!changed.allOk()) {
            String why = "the router did not confirm the weights: " + failures(changed);
            return s.rollingBack ? fail("rollback could not move traffic back: " + why) : rollBack(why, "ROLLED_BACK");
        }
        s.newPoolWeight = current().weights().getOrDefault(s.newPool, 0);
        s.newPoolHadTraffic |= s.newPoolWeight > 0;
        return withFirst(progress("router confirmed " + describeWeights(changed)), advance());
    }

    private List<Effect> decommissioned(InstancesChanged changed) {
        if (!changed.allOk()) {
            return fail((current().kind() == Kind.DECOMMISSION_NEW ? "could not remove the " + s.newPool + " pool: "
                    : "could not remove the old stable pool: ") + failures(changed));
        }
        if (current().kind() == Kind.DECOMMISSION_NEW) {
            s.newPoolInstances.clear();
        }
        return withFirst(progress("removed " + changed.outcomes().stream().map(InstanceOutcome::instanceId).toList()),
                advance());
    }

    private List<Effect> promoted(InstancesChanged changed) {
        return changed.allOk() ? advance()
                : fail("the " + s.newPool + " pool could not become the stable pool: " + failures(changed));
    }

    private List<Effect> succeed() {
        s.phase = Phase.DONE;
        s.status = "SUCCEEDED";
        s.pending = null;
        return List.of(lifecycle(EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED", "all " + s.newPoolInstances.size()
                + " instances run " + s.version + " and take all the traffic as the stable pool"));
    }

    private List<Effect> pause(String why) {
        s.phase = Phase.PAUSED;
        s.status = "PAUSED";
        s.pending = null;
        s.phaseDeadlineMs = null;
        nextStep();
        return List.of(lifecycle(EventTypes.DEPLOYMENT_PAUSED, "PAUSED", why));
    }

    // --- turning round ---

    private List<Effect> stop(String reason, String endsAs) {
        if (isDone() || s.rollingBack) {
            return List.of();
        }
        if (s.oldPoolRemoved) {
            return List.of(progress(reason + ": too late, the old stable pool is already being removed; "
                    + s.version + " stays"));
        }
        return rollBack(reason, endsAs);
    }

    private List<Effect> rollBack(String reason, String endsAs) {
        s.rollingBack = true;
        s.rollbackEndsAs = endsAs;
        s.reason = reason;
        s.status = "ROLLING_BACK";
        s.resends = 0;
        s.pauseRequested = false;
        s.promoteRequested = null;
        s.phaseDeadlineMs = null;
        if (s.phase == Phase.WEIGHTING) {
            // The weights in flight may already hold: assume the new pool got its share.
            s.newPoolHadTraffic |= current().weights().getOrDefault(s.newPool, 0) > 0;
        }
        Effect announce = lifecycle(EventTypes.DEPLOYMENT_ROLLING_BACK, "ROLLING_BACK", reason);
        if (s.phase == Phase.PROVISIONING) {
            // Which instances to remove is known only once provisioning answers; provisioned() goes on from there.
            return List.of(announce);
        }
        return withFirst(announce, startRollback());
    }

    private List<Effect> startRollback() {
        s.plan = PoolPlans.rollback(s.newPool, s.newPoolHadTraffic, !s.stablePool.isEmpty(),
                !s.newPoolInstances.isEmpty());
        s.stageIndex = 0;
        return runStage();
    }

    private List<Effect> finishRollback() {
        s.phase = Phase.DONE;
        s.pending = null;
        s.status = s.rollbackEndsAs;
        s.newPoolWeight = 0;
        boolean aborted = "ABORTED".equals(s.rollbackEndsAs);
        return List.of(lifecycle(aborted ? EventTypes.DEPLOYMENT_ABORTED : EventTypes.DEPLOYMENT_ROLLED_BACK, s.status,
                (aborted ? "aborted" : "rolled back") + " (" + s.reason + "); the stable pool takes all the traffic"));
    }

    // --- helpers ---

    private Stage current() {
        return s.plan.get(Math.min(s.stageIndex, s.plan.size() - 1));
    }

    private String inFlight() {
        return s.plan.isEmpty() ? "resolving the fleet" : current().label();
    }

    private AnalysisSpec thresholds() {
        return AnalysisSpec.orDefaults(s.strategy.analysis());
    }

    private static boolean isStable(InstanceRef instance) {
        return instance.pool() == null || PoolPlans.STABLE.equals(instance.pool());
    }

    private static List<String> ids(Map<String, String> pool) {
        return List.copyOf(pool.keySet());
    }

    private static List<AnalysisRequest.Target> targets(Map<String, String> pool) {
        return pool.entrySet().stream().map(e -> new AnalysisRequest.Target(e.getKey(), e.getValue())).toList();
    }

    /** "canary 25% (i-1 at 100), stable 75% (i-2, i-3 at 75)": what each pool got, from the router's answer. */
    private static String describeWeights(InstancesChanged changed) {
        Map<String, List<InstanceOutcome>> byPool = changed.outcomes().stream()
                .collect(Collectors.groupingBy(o -> String.valueOf(o.pool()), java.util.TreeMap::new,
                        Collectors.toList()));
        int total = changed.outcomes().stream().mapToInt(o -> o.weight() == null ? 0 : o.weight()).sum();
        return byPool.entrySet().stream().map(e -> {
            int sum = e.getValue().stream().mapToInt(o -> o.weight() == null ? 0 : o.weight()).sum();
            String share = total == 0 ? "0" : String.format(java.util.Locale.ROOT, "%.1f", 100.0 * sum / total);
            return e.getKey() + " " + share + "% (" + e.getValue().stream()
                    .map(o -> o.instanceId() + " at " + o.weight()).collect(Collectors.joining(", ")) + ")";
        }).collect(Collectors.joining(", "));
    }

    private static List<Effect> withFirst(Effect first, List<Effect> rest) {
        List<Effect> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
