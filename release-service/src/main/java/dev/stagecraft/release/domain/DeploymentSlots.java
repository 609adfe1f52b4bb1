package dev.stagecraft.release.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.OperatorRequest;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.persistence.TimelineEntry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * The one slot per service and environment: who holds it ({@code active}), who waits for it
 * ({@code waitingFor}), and what happens when it frees up. A queued deployment starts when the holder
 * ends; a superseding one has the holder stopped first (rolled back, or ended if it never started)
 * and ends every other waiting deployment, because the newest request wins.
 */
@ApplicationScoped
public class DeploymentSlots {
    static final String QUEUE_STARTED = "queue.started";
    static final String SUPERSEDED = "superseded";

    private final SagaStarts sagas;
    private final LifecycleFacts facts;
    private final Outbox outbox;
    private final AuditLog audit;
    private final Clock clock;

    public DeploymentSlots(SagaStarts sagas, LifecycleFacts facts, Outbox outbox, AuditLog audit, Clock clock) {
        this.sagas = sagas;
        this.facts = facts;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Locks the environment's row until the transaction ends. Requests, approvals, withdrawals and the
     * end of deployments in one environment take turns, so a newcomer never queues behind a deployment
     * that has just ended and two approvals cannot both take a free slot.
     */
    public static Uni<EnvironmentEntity> lock(String environment) {
        return EnvironmentEntity.findById(environment, LockModeType.PESSIMISTIC_WRITE);
    }

    public static Uni<DeploymentEntity> holder(String service, String environment) {
        return DeploymentEntity.<DeploymentEntity>find("service = ?1 and environment = ?2 and active = true",
                service, environment).firstResult();
    }

    /** Waiting for the slot, first come first served. */
    static Uni<List<DeploymentEntity>> waiting(String service, String environment) {
        return DeploymentEntity.list("service = ?1 and environment = ?2 and waitingFor is not null"
                + " order by createdAt, id", service, environment);
    }

    /**
     * {@code newcomer} (approved or needing no approval) supersedes: every other waiting deployment ends,
     * and the holder is stopped. Its rollback is asked for at once if its saga runs, when its saga starts
     * if it has not yet, and not at all if it is rolling back already; a holder still awaiting approval
     * never started, so it just ends and the newcomer takes the slot.
     */
    public Uni<Void> supersede(DeploymentEntity newcomer, String actor) {
        return waiting(newcomer.service, newcomer.environment).chain(list -> {
            List<DeploymentEntity> others = list.stream().filter(w -> !w.id.equals(newcomer.id)).toList();
            // An approved superseder before this one has asked for the rollback already (or will, at start).
            boolean stopAsked = others.stream().anyMatch(w -> ConcurrencyMode.SUPERSEDE.wire().equals(w.waitingMode)
                    && w.status == DeploymentStatus.REQUESTED);
            return endAll(others, newcomer, actor)
                    .chain(() -> DeploymentEntity.<DeploymentEntity>findById(newcomer.waitingFor))
                    .chain(holder -> stopHolder(holder, newcomer, actor, stopAsked));
        });
    }

    private Uni<Void> stopHolder(DeploymentEntity holder, DeploymentEntity newcomer, String actor, boolean stopAsked) {
        if (holder.status == DeploymentStatus.AWAITING_APPROVAL) {
            return endUnstarted(holder, DeploymentStatus.ABORTED, SUPERSEDED, "superseded by deployment "
                    + newcomer.id + " before it was approved")
                    .chain(() -> audit.record(actor, "deployment.superseded", AuditLog.DEPLOYMENT, holder.id,
                            Map.of("supersededBy", newcomer.id)));
        }
        if (holder.status.isStoppable() && !stopAsked) {
            return requestRollback(holder, newcomer, actor);
        }
        String when = holder.status == DeploymentStatus.REQUESTED ? "it will be rolled back as soon as its saga starts"
                : holder.status.isStoppable() ? "its rollback has been asked for already"
                        : "it is " + holder.status + " already";
        return TimelineEntry.of(holder.id, clock.instant(), holder.status.name(), SUPERSEDED, "superseded by deployment "
                + newcomer.id + " (requested by " + newcomer.requestedBy + "): " + when).persist().replaceWithVoid();
    }

    /** The saga of {@code started} runs now: if an approved deployment waits to supersede it, stop it. */
    public Uni<Void> onSagaStarted(DeploymentEntity started) {
        return lock(started.environment).chain(() -> supersederOf(started)).chain(superseder -> superseder == null
                ? Uni.createFrom().voidItem() : requestRollback(started, superseder, superseder.requestedBy));
    }

    private static Uni<DeploymentEntity> supersederOf(DeploymentEntity holder) {
        return DeploymentEntity.<DeploymentEntity>find("waitingFor = ?1 and waitingMode = ?2 and status = ?3"
                + " order by createdAt", holder.id, ConcurrencyMode.SUPERSEDE.wire(), DeploymentStatus.REQUESTED)
                .firstResult();
    }

    /**
     * {@code ended} gives up the slot; the first waiting deployment takes it, and starts unless it still
     * awaits approval. The environment must be locked.
     */
    public Uni<Void> release(DeploymentEntity ended) {
        ended.active = false;
        Instant now = clock.instant();
        // Write the freed slot first: the unique index allows one holder at any moment, not only at commit.
        return Panache.flush().chain(() -> waiting(ended.service, ended.environment)).chain(queue -> {
            if (queue.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            DeploymentEntity next = queue.get(0);
            next.active = true;
            next.waitingFor = null;
            next.waitingMode = null;
            next.updatedAt = now;
            queue.subList(1, queue.size()).forEach(w -> w.waitingFor = next.id);
            boolean starts = next.status == DeploymentStatus.REQUESTED;
            TimelineEntry entry = TimelineEntry.of(next.id, now, next.status.name(), QUEUE_STARTED, "deployment "
                    + ended.id + " ended " + ended.status + "; " + (starts ? "starting now" : "next in line, waiting for approval"));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("after", ended.id);
            details.put("afterStatus", ended.status.name());
            details.put("starts", starts);
            return entry.persist()
                    .chain(() -> audit.record(AuditLog.SYSTEM, "deployment.dequeued", AuditLog.DEPLOYMENT, next.id, details))
                    .chain(() -> starts ? sagas.start(next) : Uni.createFrom().voidItem());
        });
    }

    /**
     * Ends a deployment whose saga never started (waiting, or awaiting approval): there is no saga to
     * tell, so the end is published here ({@code deployment.rejected} or {@code .withdrawn}). If it held
     * the slot, the next waiting deployment gets it. The environment must be locked.
     */
    public Uni<Void> endUnstarted(DeploymentEntity d, DeploymentStatus status, String timelineEvent, String reason) {
        Instant now = clock.instant();
        boolean heldSlot = d.active;
        d.status = status;
        d.waitingFor = null;
        d.waitingMode = null;
        d.updatedAt = now;
        d.finishedAt = now;
        d.reasons = JsonText.write(List.of(reason));
        return TimelineEntry.of(d.id, now, status.name(), timelineEvent, reason).persist()
                .chain(() -> facts.endedUnstarted(d, reason))
                .chain(() -> heldSlot ? release(d) : Uni.createFrom().voidItem());
    }

    private Uni<Void> endAll(List<DeploymentEntity> superseded, DeploymentEntity newcomer, String actor) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (DeploymentEntity w : superseded) {
            String reason = "superseded by deployment " + newcomer.id + " before it started";
            chain = chain.chain(() -> endUnstarted(w, DeploymentStatus.ABORTED, SUPERSEDED, reason))
                    .chain(() -> audit.record(actor, "deployment.superseded", AuditLog.DEPLOYMENT, w.id,
                            Map.of("supersededBy", newcomer.id)));
        }
        return chain;
    }

    private Uni<Void> requestRollback(DeploymentEntity holder, DeploymentEntity newcomer, String actor) {
        Instant now = clock.instant();
        String reason = "superseded by deployment " + newcomer.id + " (" + newcomer.service + " " + newcomer.version + ")";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        details.put("supersededBy", newcomer.id);
        return TimelineEntry.of(holder.id, now, holder.status.name(), EventTypes.ROLLBACK_REQUESTED,
                "rollback requested by " + actor + ": " + reason).persist()
                .chain(() -> outbox.add(Topics.ROLLBACKS, holder.id, EventTypes.ROLLBACK_REQUESTED,
                        new OperatorRequest(holder.id, reason, actor, now)))
                .chain(() -> audit.record(actor, "deployment.rollback-requested", AuditLog.DEPLOYMENT, holder.id, details));
    }
}
