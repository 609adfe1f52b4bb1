package dev.stagecraft.release.domain;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The statuses a user sees, and the only moves between them. A lifecycle event that asks for a
 * move not listed here is stale or out of order and is not applied (DESIGN.md, guarded transitions).
 */
public enum DeploymentStatus {
    REQUESTED, AWAITING_APPROVAL, IN_PROGRESS, PAUSED, SUCCEEDED, ROLLING_BACK, ROLLED_BACK, FAILED, ABORTED, REJECTED;

    private static final Map<DeploymentStatus, Set<DeploymentStatus>> NEXT = Map.of(
            REQUESTED, EnumSet.of(AWAITING_APPROVAL, IN_PROGRESS, ROLLING_BACK, FAILED, ABORTED, REJECTED, SUCCEEDED),
            AWAITING_APPROVAL, EnumSet.of(REQUESTED, IN_PROGRESS, REJECTED, ABORTED),
            IN_PROGRESS, EnumSet.of(IN_PROGRESS, PAUSED, SUCCEEDED, ROLLING_BACK, FAILED, ABORTED),
            // Paused by an operator or an inconclusive analysis: resumed, promoted to the end, or stopped.
            PAUSED, EnumSet.of(PAUSED, IN_PROGRESS, SUCCEEDED, ROLLING_BACK, ROLLED_BACK, FAILED, ABORTED),
            ROLLING_BACK, EnumSet.of(ROLLING_BACK, ROLLED_BACK, FAILED, ABORTED),
            SUCCEEDED, EnumSet.noneOf(DeploymentStatus.class),
            ROLLED_BACK, EnumSet.noneOf(DeploymentStatus.class),
            FAILED, EnumSet.noneOf(DeploymentStatus.class),
            ABORTED, EnumSet.noneOf(DeploymentStatus.class),
            REJECTED, EnumSet.noneOf(DeploymentStatus.class));

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
