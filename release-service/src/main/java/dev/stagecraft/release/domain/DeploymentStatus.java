package dev.stagecraft.release.domain;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The statuses a user sees, and the only moves between them. A lifecycle event that asks for a
 * move not listed here is stale or out of order and is not applied (DESIGN.md, guarded transitions).
 */
public enum DeploymentStatus {
    REQUESTED, AWAITING_APPROVAL, IN_PROGRESS, PAUSED, BAKING, SUCCEEDED, ROLLING_BACK, ROLLED_BACK, FAILED, ABORTED,
    REJECTED;

    private static final Map<DeploymentStatus, Set<DeploymentStatus>> NEXT = Map.ofEntries(
            Map.entry(REQUESTED, EnumSet.of(AWAITING_APPROVAL, IN_PROGRESS, ROLLING_BACK, FAILED, ABORTED, REJECTED, SUCCEEDED,
                    BAKING)),
            Map.entry(AWAITING_APPROVAL, EnumSet.of(REQUESTED, IN_PROGRESS, REJECTED, ABORTED)),
            Map.entry(IN_PROGRESS, EnumSet.of(IN_PROGRESS, PAUSED, BAKING, SUCCEEDED, ROLLING_BACK, FAILED, ABORTED)),
            // Paused by an operator or an inconclusive analysis: resumed, promoted to the end, or stopped.
            Map.entry(PAUSED, EnumSet.of(PAUSED, IN_PROGRESS, BAKING, SUCCEEDED, ROLLING_BACK, ROLLED_BACK, FAILED, ABORTED)),
            // Rolled out and watched (dev.stagecraft.release.bake): the bake time passes, or an alert rolls it back.
            Map.entry(BAKING, EnumSet.of(SUCCEEDED, ROLLING_BACK, FAILED)),
            Map.entry(ROLLING_BACK, EnumSet.of(ROLLING_BACK, ROLLED_BACK, FAILED, ABORTED)),
            Map.entry(SUCCEEDED, EnumSet.noneOf(DeploymentStatus.class)),
            Map.entry(ROLLED_BACK, EnumSet.noneOf(DeploymentStatus.class)),
            Map.entry(FAILED, EnumSet.noneOf(DeploymentStatus.class)),
            Map.entry(ABORTED, EnumSet.noneOf(DeploymentStatus.class)),
            Map.entry(REJECTED, EnumSet.noneOf(DeploymentStatus.class)));

    public boolean canMoveTo(DeploymentStatus next) {
        return NEXT.get(this).contains(next);
    }

    public boolean isTerminal() {
        return NEXT.get(this).isEmpty();
    }

    /**
     * Whether a rollback or abort can be asked for: the saga has started (its first lifecycle event
     * arrived) and not ended. Before it starts there is nothing to stop, and a stop request could
     * overtake the request itself, since the two travel on different topics.
     */
    public boolean isStoppable() {
        return this == IN_PROGRESS || this == PAUSED;
    }
}
