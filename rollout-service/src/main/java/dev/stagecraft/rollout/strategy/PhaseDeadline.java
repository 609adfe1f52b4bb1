package dev.stagecraft.rollout.strategy;

import java.time.Duration;
import java.util.List;

import dev.stagecraft.contracts.StepRequest;

/**
 * How long a phase may wait for its answer: the configured deadline, plus an allowance for every instance its step
 * moves beyond the first {@link #INSTANCES_INCLUDED}. A fixed deadline that suits a fleet of ten (120 s to provision)
 * cannot suit a fleet of 10,000, whose one provisioning step starts 10,000 instances at the pace of the hosts' agents;
 * small steps keep exactly the configured deadline.
 */
public final class PhaseDeadline {
    /** Instances a configured deadline covers on its own. */
    public static final int INSTANCES_INCLUDED = 100;

    private PhaseDeadline() {
    }

    /** {@code base}, plus {@code perInstance} for each of {@code instances} beyond {@link #INSTANCES_INCLUDED}. */
    public static Duration of(Duration base, int instances, Duration perInstance) {
        return base.plus(perInstance.multipliedBy(Math.max(0, instances - INSTANCES_INCLUDED)));
    }

    /**
     * The instances the saga's current phase waits on: those of the request it awaits (a provision's count, an update's
     * assignments, the ids it enables or removes), or of the batch it verifies, whichever is more.
     */
    public static int instancesOf(SagaState s) {
        int waiting = s.pending == null ? 0 : sizeOf(s.pending.request());
        if (s.batchIndex >= 0 && s.batchIndex < s.batches.size()) {
            waiting = Math.max(waiting, s.batches.get(s.batchIndex).size());
        }
        return waiting;
    }

    private static int sizeOf(StepRequest r) {
        return Math.max(r.count(), Math.max(size(r.assignments()), size(r.instanceIds())));
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }
}
