package dev.stagecraft.release.cdevents;

import java.util.Set;

import dev.stagecraft.contracts.cdevents.CdEvent;
import dev.stagecraft.contracts.cdevents.CdEvents;
import dev.stagecraft.release.cdevents.DeploymentSignals.Signal;
import dev.stagecraft.release.domain.DeploymentStatus;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.ReleaseEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The CDEvents of a deployment's move ({@link DeploymentSignals}), written in the transaction that makes the move:
 * {@code service.deployed} (no other deployment of the service had rolled out in that environment) or
 * {@code .upgraded}, {@code incident.detected}, {@code service.rolledback} and {@code incident.resolved}.
 */
@ApplicationScoped
public class DeploymentCdEvents {
    private static final Logger LOG = Logger.getLogger(DeploymentCdEvents.class);

    private final CdEventOutbox cdEvents;

    public DeploymentCdEvents(CdEventOutbox cdEvents) {
        this.cdEvents = cdEvents;
    }

    /**
     * {@code d} has just moved from {@code from} to its current status. {@code description} says why (already
     * scrubbed of secret values); {@code restoredVersion} is what a rollback brought back, or null to take the
     * newest other SUCCEEDED deployment there (none: the service was new there, and its fleet's emptying is told as
     * {@code service.removed}).
     */
    public Uni<Void> moved(DeploymentEntity d, DeploymentStatus from, String description, String restoredVersion) {
        Set<Signal> signals = DeploymentSignals.of(from, d.status, d.rollbackOf != null);
        if (signals.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return ReleaseEntity.find(d.service, d.version).chain(release -> {
            String artifact = release == null ? null : CdEventOutbox.artifactId(release);
            Uni<Void> done = Uni.createFrom().voidItem();
            if (signals.contains(Signal.ROLLED_OUT)) {
                done = done.chain(() -> rolledOut(d, artifact));
            }
            if (signals.contains(Signal.INCIDENT_DETECTED)) {
                done = done.chain(() -> cdEvents.publish(CdEvents.incidentDetected(d.id, description, d.service,
                        d.environment, artifact)));
            }
            if (signals.contains(Signal.ROLLED_BACK)) {
                done = done.chain(() -> rolledBack(d, restoredVersion));
            }
            if (signals.contains(Signal.INCIDENT_RESOLVED)) {
                done = done.chain(() -> cdEvents.publish(CdEvents.incidentResolved(d.id, description, d.service,
                        d.environment, artifact)));
            }
            return done;
        });
    }

    private Uni<Void> rolledOut(DeploymentEntity d, String artifact) {
        if (artifact == null) {
            LOG.warnf("deployment %s: release %s %s not found; no service CDEvent", d.id, d.service, d.version);
            return Uni.createFrom().voidItem();
        }
        // Rolled out before: SUCCEEDED, or BAKING at some time (bake_until stays set), whatever came after.
        return DeploymentEntity.count("service = ?1 and environment = ?2 and id <> ?3"
                + " and (status = ?4 or bakeUntil is not null)", d.service, d.environment, d.id,
                DeploymentStatus.SUCCEEDED)
                .chain(before -> cdEvents.publish(before == 0
                        ? CdEvents.serviceDeployed(d.service, d.environment, artifact)
                        : CdEvents.serviceUpgraded(d.service, d.environment, artifact)));
    }

    private Uni<Void> rolledBack(DeploymentEntity d, String restoredVersion) {
        Uni<String> restored = restoredVersion != null ? Uni.createFrom().item(restoredVersion)
                : DeploymentEntity.<DeploymentEntity>find("service = ?1 and environment = ?2 and id <> ?3"
                        + " and status = ?4 order by finishedAt desc", d.service, d.environment, d.id,
                        DeploymentStatus.SUCCEEDED).firstResult().map(prev -> prev == null ? null : prev.version);
        return restored.chain(version -> version == null ? Uni.createFrom().<ReleaseEntity>nullItem()
                : ReleaseEntity.find(d.service, version)).chain(release -> {
                    if (release == null) {
                        return Uni.createFrom().voidItem();
                    }
                    CdEvent event = CdEvents.serviceRolledBack(d.service, d.environment, CdEventOutbox.artifactId(release));
                    return cdEvents.publish(event);
                });
    }
}
