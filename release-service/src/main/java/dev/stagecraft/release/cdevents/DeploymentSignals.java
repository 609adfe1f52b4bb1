package dev.stagecraft.release.cdevents;

import java.util.EnumSet;
import java.util.Set;

import dev.stagecraft.release.domain.DeploymentStatus;

/**
 * Which CDEvents a deployment's move from one status to another gives; pure (DeploymentSignalsTest).
 * <ul>
 * <li>The rollout ended (BAKING or SUCCEEDED from a running status): the service runs the release now. Not for a
 * bake's rollback deployment: the deployment it rolls back tells {@link Signal#ROLLED_BACK} when it ends.</li>
 * <li>A rollback began, or a started deployment FAILED without one: an incident is detected.</li>
 * <li>ROLLED_BACK: the previous release serves again, and the incident is resolved (detected at the same moment
 * when the saga went straight there, as a blue/green switch back does).</li>
 * <li>An abort also passes through ROLLING_BACK (the batch in flight is restored): its end, ABORTED, resolves the
 * incident too, with no rolled-back service (the batches done before it keep the new release).</li>
 * </ul>
 * A FAILED deployment (its rollback failed, or it failed with none) leaves its incident open: what serves is for a
 * person to find out. The next deployment of the service there that rolls out (rollback deployments included) is
 * the service restored: it resolves the open incidents of the FAILED ones before it ({@link
 * Signal#EARLIER_INCIDENTS_RESOLVED}), the moment DORA's time to restore ends too. So every incident.detected a
 * consumer sees is followed by one incident.resolved, and none stays open for good.
 * <p>
 * An alert that acts on nothing (no deployment of its service baking in its environment) moves no deployment and
 * gives no CDEvent: Stagecraft could not tell its end (Alertmanager does not send the resolution to the receiver), so
 * an incident.detected for it would stay open; the monitoring that raised it reports it.
 */
public final class DeploymentSignals {
    public enum Signal {
        ROLLED_OUT, INCIDENT_DETECTED, ROLLED_BACK, INCIDENT_RESOLVED,
        /** The service rolled out again there: the incidents the FAILED deployments before left open end now. */
        EARLIER_INCIDENTS_RESOLVED
    }

    private static final Set<DeploymentStatus> RUNNING = EnumSet.of(DeploymentStatus.REQUESTED,
            DeploymentStatus.IN_PROGRESS, DeploymentStatus.PAUSED);
    private static final Set<DeploymentStatus> TOUCHED_THE_FLEET = EnumSet.of(DeploymentStatus.IN_PROGRESS,
            DeploymentStatus.PAUSED, DeploymentStatus.BAKING);

    private DeploymentSignals() {
    }

    /** In the order they are published. */
    public static Set<Signal> of(DeploymentStatus from, DeploymentStatus to, boolean rollbackDeployment) {
        Set<Signal> signals = EnumSet.noneOf(Signal.class);
        if (from == to) {
            return signals;
        }
        boolean rolledOut = to == DeploymentStatus.BAKING || to == DeploymentStatus.SUCCEEDED;
        if (rolledOut && RUNNING.contains(from)) {
            if (!rollbackDeployment) {
                signals.add(Signal.ROLLED_OUT);
            }
            signals.add(Signal.EARLIER_INCIDENTS_RESOLVED);
        }
        boolean rollbackBegan = (to == DeploymentStatus.ROLLING_BACK || to == DeploymentStatus.ROLLED_BACK)
                && from != DeploymentStatus.ROLLING_BACK;
        boolean failedWithoutRollback = to == DeploymentStatus.FAILED && TOUCHED_THE_FLEET.contains(from);
        if (rollbackBegan || failedWithoutRollback) {
            signals.add(Signal.INCIDENT_DETECTED);
        }
        if (to == DeploymentStatus.ROLLED_BACK) {
            signals.add(Signal.ROLLED_BACK);
            signals.add(Signal.INCIDENT_RESOLVED);
        }
        if (to == DeploymentStatus.ABORTED && from == DeploymentStatus.ROLLING_BACK) {
            signals.add(Signal.INCIDENT_RESOLVED);
        }
        return signals;
    }
}
