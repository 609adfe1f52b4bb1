package dev.stagecraft.release.domain;

import dev.stagecraft.release.secrets.StoredSecrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.stagecraft.contracts.DeploymentStatusChanged;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.OperatorRequest;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.messaging.PoisonRecordException;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.release.api.DeploymentView;
import dev.stagecraft.release.bake.BakeRollbacks;
import dev.stagecraft.release.bake.Bakes;
import dev.stagecraft.release.persistence.ApprovalEntity;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.TimelineEntry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Deployments as users see them, once requested ({@link DeploymentRequests}): read, stopped by operators,
 * and followed through the saga's lifecycle events.
 */
@ApplicationScoped
public class Deployments {
    private static final Logger LOG = Logger.getLogger(Deployments.class);
    static final String WITHDRAWN = "withdrawn";

    private final Outbox outbox;
    private final DeploymentSlots slots;
    private final AuditLog audit;
    private final Clock clock;
    private final StoredSecrets secrets;
    private final Bakes bakes;
    private final BakeRollbacks bakeRollbacks;
    private final DeploymentMoves moves;

    public Deployments(Outbox outbox, DeploymentSlots slots, AuditLog audit, Clock clock,
            StoredSecrets secrets, Bakes bakes, BakeRollbacks bakeRollbacks, DeploymentMoves moves) {
        this.moves = moves;
        this.bakes = bakes;
        this.bakeRollbacks = bakeRollbacks;
        this.outbox = outbox;
        this.slots = slots;
        this.audit = audit;
        this.clock = clock;
        this.secrets = secrets;
    }

    @WithSession
    public Uni<DeploymentView> get(String id) {
        return find(id).chain(d -> TimelineEntry.<TimelineEntry>list("deploymentId = ?1 order by id", d.id)
                .chain(timeline -> ApprovalEntity.<ApprovalEntity>list("deploymentId = ?1 order by id", d.id)
                        .map(approvals -> DeploymentView.of(d, timeline, approvals))));
    }

    @WithSession
    public Uni<List<DeploymentView>> list(String service, String environment, String status) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (service != null) {
            query.append(" and service = :service");
            params.put("service", service);
        }
        if (environment != null) {
            query.append(" and environment = :environment");
            params.put("environment", environment);
        }
        if (status != null) {
            DeploymentStatus parsed = parseStatus(status);
            query.append(" and status = :status");
            params.put("status", parsed);
        }
        query.append(" order by createdAt desc");
        return DeploymentEntity.<DeploymentEntity>find(query.toString(), params).page(0, 200).list()
                .map(list -> list.stream().map(d -> DeploymentView.of(d, List.of(), List.of())).toList());
    }

    /**
     * Asks the saga to roll back (restore the previous version) or abort (halt, restoring only the batch
     * in flight). A deployment whose saga was never asked to start (queued, or awaiting approval) has
     * nothing to restore: it is withdrawn, ending ABORTED at once. A BAKING deployment's saga has ended: its rollback
     * is a deployment of the last stable release ({@link BakeRollbacks}); it cannot be aborted.
     */
    @WithTransaction
    public Uni<DeploymentView> stop(String id, boolean rollback, String reason, String actor) {
        String type = rollback ? EventTypes.ROLLBACK_REQUESTED : EventTypes.ABORT_REQUESTED;
        String what = rollback ? "rollback" : "abort";
        String why = reason == null || reason.isBlank() ? "no reason given" : reason;
        Map<String, Object> details = Map.of("reason", why);
        return DeploymentLocks.find(id).chain(d -> {
            if (neverStarted(d)) {
                return slots.endUnstarted(d, DeploymentStatus.ABORTED, WITHDRAWN, "withdrawn (" + what
                        + " before it started) by " + actor + ": " + why)
                        .chain(() -> audit.record(actor, "deployment.withdrawn", AuditLog.DEPLOYMENT, d.id, details))
                        .chain(() -> get(id));
            }
            if (rollback && d.status == DeploymentStatus.BAKING) {
                // Rolled out already: the saga has ended, so the rollback is a deployment of the last stable release.
                return bakeRollbacks.rollBack(d, what + " requested by " + actor + " during the bake: " + why, actor,
                        details).chain(() -> get(id));
            }
            if (!d.status.isStoppable()) {
                String when = d.status == DeploymentStatus.REQUESTED
                        ? "its saga has not started yet; ask again in a moment" : "it is only possible while it runs";
                throw ApiProblem.conflict("deployment " + id + " is " + d.status + "; no " + what + ": " + when,
                        List.of(new Problem.Violation("status", d.status.name())));
            }
            Instant now = clock.instant();
            TimelineEntry entry = TimelineEntry.of(d.id, now, d.status.name(), type,
                    what + " requested by " + actor + ": " + why);
            return entry.persist()
                    .chain(() -> outbox.add(Topics.ROLLBACKS, d.id, type, new OperatorRequest(d.id, why, actor, now)))
                    .chain(() -> audit.record(actor, "deployment." + what + "-requested", AuditLog.DEPLOYMENT, d.id,
                            details))
                    .chain(() -> get(id));
        });
    }

    /** Queued, or awaiting approval: {@code deployment.requested} was never published for it. */
    static boolean neverStarted(DeploymentEntity d) {
        return d.status == DeploymentStatus.AWAITING_APPROVAL
                || (d.status == DeploymentStatus.REQUESTED && d.waitingFor != null);
    }

    /** Applies one lifecycle fact from the saga, if it is a legal move from where the deployment stands. */
    public Uni<Void> apply(String eventType, DeploymentStatusChanged event) {
        return DeploymentEntity.<DeploymentEntity>findById(event.deploymentId()).chain(d -> {
            if (d == null) {
                LOG.warnf("lifecycle event %s for unknown deployment %s ignored", eventType, event.deploymentId());
                return Uni.createFrom().voidItem();
            }
            DeploymentStatus reported = lifecycleStatus(event);
            // Locked first: the end of a deployment hands its slot on, which must not race a new request.
            return DeploymentSlots.lock(d.environment).chain(env -> {
                // A rollout that succeeded where the environment has a bake time is watched before it is SUCCEEDED.
                Optional<Duration> bake = reported == DeploymentStatus.SUCCEEDED ? bakes.bakeOf(d, env) : Optional.empty();
                DeploymentStatus next = bake.isPresent() ? DeploymentStatus.BAKING : reported;
                // The saga's words may quote an instance's environment: keep secret values out of the timeline.
                String message = dev.stagecraft.platform.secrets.SecretMasking.scrubbed(event.message(), secrets.plain(env).values());
                if (!d.status.canMoveTo(next) || neverStarted(d)) {
                    LOG.warnf("deployment %s: %s -> %s is not a legal move; event %s recorded only", d.id, d.status,
                            next, eventType);
                    return TimelineEntry.of(d.id, event.at(), next.name(), eventType,
                            "(not applied: " + d.status + " cannot become " + next + ") " + message).persist()
                            .replaceWithVoid();
                }
                boolean sagaStarted = d.status == DeploymentStatus.REQUESTED && next == DeploymentStatus.IN_PROGRESS;
                // The saga told this move itself: release-service tells only the bake it adds.
                DeploymentMoves.Move move = DeploymentMoves.of(d, next, eventType, message).at(event.at());
                bake.ifPresent(time -> bakes.start(d, env, event.at(), time, move));
                return moves.apply(move).chain(() -> {
                    if (next.isTerminal()) {
                        return slots.release(d).chain(() -> d.rollbackOf != null ? bakes.rollbackEnded(d)
                                : Uni.createFrom().voidItem());
                    }
                    return sagaStarted ? slots.onSagaStarted(d) : Uni.createFrom().voidItem();
                });
            });
        });
    }

    private static DeploymentStatus parseStatus(String status) {
        try {
            return DeploymentStatus.valueOf(status);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiProblem.badRequest("unknown status", List.of(new Problem.Violation("status",
                    "'" + status + "' is not one of " + java.util.Arrays.toString(DeploymentStatus.values()))));
        }
    }

    private static DeploymentStatus lifecycleStatus(DeploymentStatusChanged event) {
        try {
            return DeploymentStatus.valueOf(event.status());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PoisonRecordException("lifecycle event for " + event.deploymentId() + " has unknown status "
                    + event.status());
        }
    }

    private static Uni<DeploymentEntity> find(String id) {
        return DeploymentEntity.<DeploymentEntity>findById(id).onItem().ifNull()
                .failWith(() -> ApiProblem.notFound("deployment " + id + " does not exist"));
    }
}
