package dev.stagecraft.release.alerts;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.domain.AuditLog;
import dev.stagecraft.release.domain.ConcurrencyMode;
import dev.stagecraft.release.domain.DeploymentSlots;
import dev.stagecraft.release.domain.DeploymentStatus;
import dev.stagecraft.release.domain.FleetUndo;
import dev.stagecraft.release.domain.Gate;
import dev.stagecraft.release.domain.LifecycleFacts;
import dev.stagecraft.release.domain.SagaStarts;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.TimelineEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A firing alert for a service and environment whose deployment is BAKING rolls that deployment back: a new
 * deployment of the last stable release (the newest SUCCEEDED one of another version there), rolling, half the
 * fleet at a time, like an undo. It is an automatic safety action, so the request gates (window, approval,
 * promotion) do not hold it up; it takes the baking deployment's slot at once, and whatever waited for that slot
 * now queues behind the rollback. The baking deployment is ROLLING_BACK until the rollback ends
 * ({@link dev.stagecraft.release.bake.Bakes#rollbackEnded}). Everything happens in one transaction, with the
 * environment locked, so an alert that arrives twice (Alertmanager repeats) acts once.
 */
@ApplicationScoped
public class AlertRollbacks {
    public record Outcome(String alert, String service, String environment, String action, String deploymentId,
            String rollbackDeploymentId, String reason) {
    }

    static final String ROLLED_BACK = "rolled-back";
    static final String IGNORED = "ignored";
    static final String FAILED = "failed";

    private final SagaStarts sagas;
    private final DeploymentSlots slots;
    private final LifecycleFacts facts;
    private final AuditLog audit;
    private final Clock clock;
    private final MeterRegistry metrics;

    public AlertRollbacks(SagaStarts sagas, DeploymentSlots slots, LifecycleFacts facts, AuditLog audit, Clock clock, MeterRegistry metrics) {
        this.sagas = sagas;
        this.slots = slots;
        this.facts = facts;
        this.audit = audit;
        this.clock = clock;
        this.metrics = metrics;
    }

    public Uni<Outcome> onFiring(FiringAlert alert, String receiver) {
        return Panache.withTransaction(() -> DeploymentSlots.lock(alert.environment()).chain(env -> env == null
                ? ignored(alert, null, "no environment " + alert.environment())
                : DeploymentEntity.<DeploymentEntity>find("service = ?1 and environment = ?2 and status = ?3",
                        alert.service(), alert.environment(), DeploymentStatus.BAKING).firstResult()
                        .chain(baking -> baking == null
                                ? ignored(alert, null, "no deployment of " + alert.service() + " is baking in "
                                        + alert.environment())
                                : rollBack(baking, alert, receiver))))
                .invoke(outcome -> metrics.counter("stagecraft_alerts_received_total", "environment",
                        alert.environment(), "action", outcome.action()).increment());
    }

    private Uni<Outcome> rollBack(DeploymentEntity baking, FiringAlert alert, String receiver) {
        return lastStable(baking).chain(stable -> {
            String actor = "alertmanager:" + receiver;
            String why = alert.describe() + " during the bake, from receiver " + receiver;
            Instant now = clock.instant();
            baking.updatedAt = now;
            if (stable == null) {
                String message = why + "; no earlier SUCCEEDED release to roll back to: needs a human";
                baking.status = DeploymentStatus.FAILED;
                baking.finishedAt = now;
                baking.reasons = JsonText.write(List.of(message));
                return TimelineEntry.of(baking.id, now, baking.status.name(), EventTypes.DEPLOYMENT_BAKE_FAILED, message)
                        .persist()
                        .chain(() -> facts.publish(EventTypes.DEPLOYMENT_BAKE_FAILED, baking, message))
                        .chain(() -> slots.release(baking))
                        .chain(() -> audit.record(actor, "deployment.bake-failed", AuditLog.DEPLOYMENT, baking.id,
                                details(alert, baking, null)))
                        .replaceWith(new Outcome(alert.name(), alert.service(), alert.environment(), FAILED, baking.id,
                                null, message));
            }
            DeploymentEntity rollback = rollbackOf(baking, stable, actor, alert, now);
            String message = why + "; rolling back to " + stable.version + " by deployment " + rollback.id;
            baking.status = DeploymentStatus.ROLLING_BACK;
            baking.active = false;
            baking.reasons = JsonText.write(List.of(message));
            // The slot changes hands now: freed first, since the unique index allows one holder at every moment.
            return Panache.flush()
                    .chain(rollback::persist)
                    .chain(() -> DeploymentEntity.update("waitingFor = ?1, waitingMode = ?2 where waitingFor = ?3",
                            rollback.id, ConcurrencyMode.QUEUE.wire(), baking.id))
                    .chain(() -> TimelineEntry.of(baking.id, now, baking.status.name(),
                            EventTypes.DEPLOYMENT_BAKE_FAILED, message).persist())
                    .chain(() -> TimelineEntry.of(rollback.id, now, rollback.status.name(),
                            EventTypes.DEPLOYMENT_REQUESTED, "rollback of deployment " + baking.id + " ("
                                    + baking.version + "), requested by " + actor + ": " + why).persist())
                    .chain(() -> facts.publish(EventTypes.DEPLOYMENT_BAKE_FAILED, baking, message))
                    .chain(() -> audit.record(actor, "deployment.bake-failed", AuditLog.DEPLOYMENT, baking.id,
                            details(alert, baking, rollback.id)))
                    .chain(() -> sagas.start(rollback))
                    .replaceWith(new Outcome(alert.name(), alert.service(), alert.environment(), ROLLED_BACK,
                            baking.id, rollback.id, message));
        });
    }

    /** The newest SUCCEEDED deployment of another version: what served before the baking one. */
    private static Uni<DeploymentEntity> lastStable(DeploymentEntity baking) {
        return DeploymentEntity.<DeploymentEntity>find("service = ?1 and environment = ?2 and status = ?3"
                + " and version <> ?4 order by finishedAt desc", baking.service, baking.environment,
                DeploymentStatus.SUCCEEDED, baking.version).firstResult();
    }

    private static DeploymentEntity rollbackOf(DeploymentEntity baking, DeploymentEntity stable, String actor,
            FiringAlert alert, Instant now) {
        DeploymentEntity d = new DeploymentEntity();
        d.id = UUID.randomUUID().toString();
        d.service = baking.service;
        d.version = stable.version;
        d.environment = baking.environment;
        d.strategy = JsonText.write(StrategySpec.rolling(FleetUndo.UNDO_BATCH));
        d.status = DeploymentStatus.REQUESTED;
        d.active = true;
        d.rollbackOf = baking.id;
        d.gates = JsonText.write(List.of(Gate.pass("rollback", "automatic rollback of deployment " + baking.id
                + " after " + alert.describe() + ": the request gates do not apply")));
        d.reasons = JsonText.write(List.of());
        d.requestedBy = actor;
        d.createdAt = now;
        d.updatedAt = now;
        return d;
    }

    private static Uni<Outcome> ignored(FiringAlert alert, String deploymentId, String reason) {
        return Uni.createFrom().item(new Outcome(alert.name(), alert.service(), alert.environment(), IGNORED,
                deploymentId, null, reason));
    }

    private static Map<String, Object> details(FiringAlert alert, DeploymentEntity baking, String rollbackId) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("alert", alert.name());
        details.put("summary", alert.summary());
        details.put("startsAt", alert.startsAt() == null ? null : alert.startsAt().toString());
        details.put("fingerprint", alert.fingerprint());
        details.put("version", baking.version);
        details.put("rollbackDeployment", rollbackId);
        return details;
    }
}
