package dev.stagecraft.release.cdevents;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import dev.stagecraft.contracts.cdevents.CdEvent;
import dev.stagecraft.contracts.cdevents.CdEventTypes;
import dev.stagecraft.contracts.cdevents.CdEvents;
import dev.stagecraft.release.cdevents.DeploymentSignals.Signal;
import dev.stagecraft.release.domain.DeploymentStatus;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.ReleaseEntity;
import dev.stagecraft.release.persistence.TimelineEntry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The CDEvents of a deployment's move ({@link DeploymentSignals}), written in the transaction that makes the move:
 * {@code service.deployed} (no other deployment of the service had rolled out in that environment) or
 * {@code .upgraded}, {@code incident.detected}, {@code service.rolledback} and {@code incident.resolved}, and the
 * {@code incident.resolved} of FAILED deployments before a rollout. Such a late resolution is written in the FAILED
 * deployment's timeline too (its event type is the CDEvent's), which is how it is told once only.
 */
@ApplicationScoped
public class DeploymentCdEvents {
    private static final Logger LOG = Logger.getLogger(DeploymentCdEvents.class);

    /** A FAILED deployment told an incident if it reached the fleet: its timeline went through one of these. */
    private static final List<String> TOUCHED_THE_FLEET = List.of(DeploymentStatus.IN_PROGRESS.name(),
            DeploymentStatus.PAUSED.name(), DeploymentStatus.BAKING.name(), DeploymentStatus.ROLLING_BACK.name());
    private static final String OPEN_INCIDENTS = "from DeploymentEntity f where f.service = ?1 and f.environment = ?2"
            + " and f.id <> ?3 and f.status = ?4"
            + " and exists (select 1 from TimelineEntry t where t.deploymentId = f.id and t.status in ?5)"
            + " and not exists (select 1 from TimelineEntry r where r.deploymentId = f.id and r.eventType = ?6)"
            + " order by f.finishedAt";

    private final CdEventOutbox cdEvents;
    private final Clock clock;

    public DeploymentCdEvents(CdEventOutbox cdEvents, Clock clock) {
        this.cdEvents = cdEvents;
        this.clock = clock;
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
            if (signals.contains(Signal.EARLIER_INCIDENTS_RESOLVED)) {
                done = done.chain(() -> resolveEarlierIncidents(d));
            }
            return done;
        });
    }

    /** The incidents FAILED deployments of the service there left open: {@code d} rolled out, so they end. */
    private Uni<Void> resolveEarlierIncidents(DeploymentEntity d) {
        return DeploymentEntity.<DeploymentEntity>list(OPEN_INCIDENTS, d.service, d.environment, d.id,
                DeploymentStatus.FAILED, TOUCHED_THE_FLEET, CdEventTypes.INCIDENT_RESOLVED).chain(failed -> {
                    Uni<Void> done = Uni.createFrom().voidItem();
                    String message = "incident resolved: deployment " + d.id + " rolled " + d.version + " out";
                    for (DeploymentEntity f : failed) {
                        done = done.chain(() -> ReleaseEntity.find(f.service, f.version))
                                .chain(release -> cdEvents.publish(CdEvents.incidentResolved(f.id, message, f.service,
                                        f.environment, release == null ? null : CdEventOutbox.artifactId(release))))
                                .chain(() -> TimelineEntry.of(f.id, clock.instant(), f.status.name(),
                                        CdEventTypes.INCIDENT_RESOLVED, message).persist())
                                .replaceWithVoid();
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
