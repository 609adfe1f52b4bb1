package dev.stagecraft.rollout.strategy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceAssignment;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.InstanceRef;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.MaxUnavailable;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.contracts.TargetsResolved;
import dev.stagecraft.contracts.VerdictReached;

/**
 * The rolling strategy as a state machine. For each batch: drain and update it, wait for its
 * verdict, put it back in service; then the next batch. A failed step, a missed deadline or an
 * operator's request turns it round: the instances it changed are restored batch by batch, never
 * more than {@code maxUnavailable} out of service at once.
 *
 * <p>Pure: each method takes the state and one fact and returns the effects to carry out. Facts
 * about a step other than the current one are stale and change nothing.
 */
public final class RollingSaga extends SagaBase {
    /** Lists of ids longer than this are shortened in messages ({@link #listed}). */
    static final int LISTED = 20;

    public RollingSaga(SagaState state) {
        super(state);
    }

    public static RollingSaga start(DeploymentRequested request) {
        SagaState state = SagaState.of(request);
        state.maxUnavailable = request.strategy().maxUnavailable();
        return new RollingSaga(state);
    }

    /** Asks inventory-service for the fleet; the saga exists before any answer can arrive. */
    @Override
    public List<Effect> started() {
        return List.of(lifecycle(EventTypes.DEPLOYMENT_STARTED, "IN_PROGRESS",
                "rolling " + s.version + " out with maxUnavailable " + s.maxUnavailable + "; resolving the fleet"),
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
        if (targets.instances().isEmpty()) {
            if (targets.desiredReplicas() <= 0) {
                return fail("the fleet of " + s.service + " in " + s.environment + " has 0 replicas");
            }
            s.phase = Phase.PROVISIONING;
            return List.of(progress("the fleet is empty: provisioning " + targets.desiredReplicas() + " instances of "
                    + s.version), send(EventTypes.PROVISION_REQUESTED, StepRequest.provision(s.deploymentId,
                            nextStep(), s.service, s.environment, targets.desiredReplicas(), s.target)));
        }
        for (InstanceRef instance : targets.instances()) {
            s.previous.put(instance.instanceId(), instance.running());
        }
        MaxUnavailable max = MaxUnavailable.parse(s.maxUnavailable).orElse(MaxUnavailable.ONE);
        s.batches = RollingPlanner.batches(new ArrayList<>(s.previous.keySet()), max);
        s.batchIndex = 0;
        List<Effect> effects = new ArrayList<>();
        effects.add(progress("planned " + s.batches.size() + " batches over " + s.previous.size() + " instances"
                + (s.previous.size() <= LISTED ? ": " + s.batches : "")));
        effects.addAll(updateCurrentBatch());
        return effects;
    }

    @Override
    public List<Effect> onInstancesChanged(String type, InstancesChanged changed) {
        if (!awaited(type, changed)) {
            return List.of();
        }
        return switch (s.phase) {
            case PROVISIONING -> provisioned(changed);
            case UPDATING -> updated(changed);
            case ENABLING -> enabled(changed);
            case DECOMMISSIONING -> decommissioned(changed);
            default -> List.of();
        };
    }

    @Override
    public List<Effect> onVerdict(VerdictReached verdict) {
        if (verdict.step() != s.step || s.phase != Phase.VERIFYING) {
            return List.of();
        }
        if (VerdictReached.PASS.equals(verdict.result())) {
            s.phase = Phase.ENABLING;
            return List.of(progress("verdict PASS for " + describeBatch() + ": " + verdict.reason()),
                    send(EventTypes.ENABLE_REQUESTED, StepRequest.forInstances(s.deploymentId, nextStep(),
                            s.service, s.environment, currentBatch())));
        }
        String why = "verdict " + verdict.result() + " for " + describeBatch() + ": " + verdict.reason();
        return s.rollingBack ? fail("rollback could not be verified: " + why) : rollBack(why, "ROLLED_BACK");
    }

    @Override
    public List<Effect> onRollbackRequested(String reason) {
        return s.rollingBack || isDone() ? List.of() : rollBack("rollback requested: " + reason, "ROLLED_BACK");
    }

    @Override
    public List<Effect> onAbortRequested(String reason) {
        return s.rollingBack || isDone() ? List.of() : rollBack("abort requested: " + reason, "ABORTED");
    }

    /**
     * The current step's deadline passed. The first time, the saga asks again; after that, forward, it is a failure,
     * and rolling back, the request is re-sent under a new number and then the saga gives up.
     */
    @Override
    public List<Effect> onDeadlineMissed() {
        if (isDone()) {
            return List.of();
        }
        String what = s.phase.name().toLowerCase() + " of step " + s.step;
        List<Effect> askedAgain = askAgain(what);
        if (!askedAgain.isEmpty()) {
            return askedAgain;
        }
        if (s.phase == Phase.RESOLVING) {
            return fail("inventory-service did not list the fleet before the deadline; nothing was changed");
        }
        if (!s.rollingBack) {
            return rollBack(what + " missed its deadline", "ROLLED_BACK");
        }
        if (s.phase == Phase.PROVISIONING) {
            return fail("rollback stalled: provisioning never answered, so the instances it may have started are"
                    + " unknown; check GET /api/v1/instances");
        }
        List<Effect> again = resendPending(what);
        return again.isEmpty() ? fail("rollback stalled: " + what + " missed its deadline " + (s.resends + 1) + " times")
                : again;
    }

    private List<Effect> provisioned(InstancesChanged changed) {
        changed.outcomes().stream().filter(InstanceOutcome::ok).map(InstanceOutcome::instanceId)
                .forEach(s.provisioned::add);
        if (s.rollingBack) {
            return List.of(decommissionProvisioned());
        }
        if (!changed.allOk()) {
            return rollBack("provisioning failed: " + failures(changed), "ROLLED_BACK");
        }
        s.batches = List.of(List.copyOf(s.provisioned));
        s.batchIndex = 0;
        s.phase = Phase.VERIFYING;
        return List.of(progress("provisioned " + listed(s.provisioned) + "; verifying"));
    }

    private List<Effect> updated(InstancesChanged changed) {
        if (!changed.allOk()) {
            String why = "updating " + describeBatch() + " failed: " + failures(changed);
            return s.rollingBack ? fail("rollback could not restore: " + why) : rollBack(why, "ROLLED_BACK");
        }
        s.phase = Phase.VERIFYING;
        return List.of(progress((s.rollingBack ? "restored " : "updated ") + describeBatch() + "; verifying"));
    }

    private List<Effect> enabled(InstancesChanged changed) {
        if (!changed.allOk()) {
            String why = "putting " + describeBatch() + " back in service failed: " + failures(changed);
            return s.rollingBack ? fail("rollback could not finish: " + why) : rollBack(why, "ROLLED_BACK");
        }
        List<Effect> effects = new ArrayList<>();
        effects.add(progress(describeBatch() + " back in service"));
        if (s.batchIndex + 1 < s.batches.size()) {
            s.batchIndex++;
            effects.addAll(updateCurrentBatch());
            return effects;
        }
        if (s.rollingBack) {
            effects.addAll(finishRollback());
            return effects;
        }
        s.phase = Phase.DONE;
        s.status = "SUCCEEDED";
        s.pending = null;
        effects.add(lifecycle(EventTypes.DEPLOYMENT_SUCCEEDED, "SUCCEEDED",
                "all " + countInstances() + " instances run " + s.version + " and are in service"));
        return effects;
    }

    /** Turns the saga round. What it restores: every batch it touched, or for an abort only the one in flight. */
    private List<Effect> rollBack(String reason, String endsAs) {
        boolean abort = endsAs.equals("ABORTED");
        s.rollingBack = true;
        s.rollbackEndsAs = endsAs;
        s.reason = reason;
        s.status = "ROLLING_BACK";
        s.resends = 0;
        List<Effect> effects = new ArrayList<>();
        effects.add(lifecycle(EventTypes.DEPLOYMENT_ROLLING_BACK, "ROLLING_BACK", reason));
        if (s.phase == Phase.PROVISIONING) {
            // Which instances to remove is known only once provisioning answers; provisioned() goes on from there.
            return effects;
        }
        if (!s.provisioned.isEmpty()) {
            effects.add(decommissionProvisioned());
            return effects;
        }
        List<List<String>> restore = restorePlan(abort);
        if (restore.isEmpty()) {
            effects.addAll(finishRollback());
            return effects;
        }
        s.batches = restore;
        s.batchIndex = 0;
        effects.addAll(updateCurrentBatch());
        return effects;
    }

    /** The batch in flight first (it is already out of service), then earlier batches, newest first. */
    private List<List<String>> restorePlan(boolean inFlightOnly) {
        List<List<String>> touched = new ArrayList<>(s.touched);
        Collections.reverse(touched);
        return inFlightOnly && !touched.isEmpty() && s.phase != Phase.RESOLVING ? List.of(touched.get(0)) : touched;
    }

    private List<Effect> finishRollback() {
        s.phase = Phase.DONE;
        s.pending = null;
        s.status = s.rollbackEndsAs;
        boolean aborted = "ABORTED".equals(s.rollbackEndsAs);
        String type = aborted ? EventTypes.DEPLOYMENT_ABORTED : EventTypes.DEPLOYMENT_ROLLED_BACK;
        String what = aborted ? "aborted" : "rolled back";
        return List.of(lifecycle(type, s.status, what + " (" + s.reason + ")"));
    }

    private List<Effect> decommissioned(InstancesChanged changed) {
        return changed.allOk() ? finishRollback()
                : fail("rollback could not remove the instances it provisioned: " + failures(changed));
    }

    /** A first deployment that fails restores the empty fleet it found. */
    private Effect decommissionProvisioned() {
        s.phase = Phase.DECOMMISSIONING;
        return send(EventTypes.DECOMMISSION_REQUESTED,
                StepRequest.forInstances(s.deploymentId, nextStep(), s.service, s.environment, s.provisioned));
    }

    private List<Effect> updateCurrentBatch() {
        List<String> batch = currentBatch();
        List<InstanceAssignment> assignments = batch.stream()
                .map(id -> new InstanceAssignment(id, s.rollingBack ? s.previous.get(id) : s.target)).toList();
        if (!s.rollingBack) {
            s.touched.add(batch);
        }
        s.phase = Phase.UPDATING;
        return List.of(send(EventTypes.UPDATE_REQUESTED,
                StepRequest.update(s.deploymentId, nextStep(), s.service, s.environment, assignments)));
    }

    private List<String> currentBatch() {
        return s.batches.isEmpty() ? List.of() : s.batches.get(s.batchIndex);
    }

    private String describeBatch() {
        return "batch " + (s.batchIndex + 1) + "/" + s.batches.size() + " " + listed(currentBatch());
    }

    /**
     * The ids, or for a long list its first few and how many more: every progress message names its batch, and a
     * batch of 1,000 ids is 11 KB in each event and timeline entry (the saga's state keeps every id).
     */
    static String listed(List<String> ids) {
        if (ids.size() <= LISTED) {
            return ids.toString();
        }
        return "[" + String.join(", ", ids.subList(0, 3)) + ", … " + (ids.size() - 3) + " more]";
    }

    private int countInstances() {
        return s.provisioned.isEmpty() ? s.previous.size() : s.provisioned.size();
    }

}
