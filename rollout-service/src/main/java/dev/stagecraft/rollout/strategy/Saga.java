package dev.stagecraft.rollout.strategy;

import java.util.List;

import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.TargetsResolved;
import dev.stagecraft.contracts.VerdictReached;

/**
 * One deployment's saga as a pure state machine: each method takes one fact and answers the effects to
 * carry out. Facts a saga does not expect answer no effects, and the orchestrator logs them as ignored.
 */
public interface Saga {
    SagaState state();

    boolean isDone();

    List<Effect> started();

    List<Effect> onTargetsResolved(TargetsResolved targets);

    List<Effect> onInstancesChanged(String type, InstancesChanged changed);

    List<Effect> onVerdict(VerdictReached verdict);

    List<Effect> onRollbackRequested(String reason);

    List<Effect> onAbortRequested(String reason);

    List<Effect> onDeadlineMissed();

    /** Hold after the step in flight; analyses and waits stop at once. */
    default List<Effect> onPauseRequested(String by) {
        return List.of();
    }

    default List<Effect> onResumeRequested(String by) {
        return List.of();
    }

    /** Skip to the next step, or with {@code full} all the way to the end, skipping analyses and waits. */
    default List<Effect> onPromoteRequested(String by, boolean full) {
        return List.of();
    }
}
