package dev.stagecraft.release.domain;

import java.time.Clock;
import java.util.List;

import dev.stagecraft.contracts.DeploymentStatusChanged;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.release.persistence.DeploymentEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What happens to a deployment before its saga starts, told on {@code stagecraft.deployments} through
 * the outbox, in the transaction of the change: it waits for approval, waits for the slot, or ends
 * without ever reaching rollout-service (rejected, withdrawn, superseded). Without these a follower
 * such as a CI job would wait for ever on a deployment that is parked or gone. release-service's own
 * lifecycle consumer does not apply them: they record a change already made here.
 */
@ApplicationScoped
public class LifecycleFacts {
    /** The lifecycle types release-service publishes besides {@code deployment.requested}. */
    public static final List<String> TYPES = List.of(EventTypes.DEPLOYMENT_AWAITING_APPROVAL,
            EventTypes.DEPLOYMENT_QUEUED, EventTypes.DEPLOYMENT_REJECTED, EventTypes.DEPLOYMENT_WITHDRAWN,
            EventTypes.DEPLOYMENT_BAKING, EventTypes.DEPLOYMENT_BAKED, EventTypes.DEPLOYMENT_BAKE_FAILED,
            EventTypes.DEPLOYMENT_ROLLBACK_ENDED);

    private final Outbox outbox;
    private final Clock clock;

    public LifecycleFacts(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Status AWAITING_APPROVAL: stored, gates passed, nothing starts until someone else approves. */
    public Uni<Void> awaitingApproval(DeploymentEntity d, String message) {
        return publish(EventTypes.DEPLOYMENT_AWAITING_APPROVAL, d, message);
    }

    /** Status REQUESTED, but another deployment holds the slot: it starts (or supersedes) when that one ends. */
    public Uni<Void> queued(DeploymentEntity d, String message) {
        return publish(EventTypes.DEPLOYMENT_QUEUED, d, message);
    }

    /** Terminal for a deployment whose saga never started: REJECTED, or ABORTED (withdrawn or superseded). */
    public Uni<Void> endedUnstarted(DeploymentEntity d, String message) {
        String type = d.status == DeploymentStatus.REJECTED ? EventTypes.DEPLOYMENT_REJECTED
                : EventTypes.DEPLOYMENT_WITHDRAWN;
        return publish(type, d, message);
    }

    /** Any of {@link #TYPES}, with the deployment's current status; the bake's facts come from {@code release.bake}. */
    public Uni<Void> publish(String type, DeploymentEntity d, String message) {
        return outbox.add(Topics.DEPLOYMENTS, d.id, type, new DeploymentStatusChanged(d.id, d.service,
                d.environment, d.version, d.status.name(), message, clock.instant()));
    }
}
