package dev.stagecraft.release.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stagecraft.contracts.OperatorRequest;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.api.DeploymentView;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.TimelineEntry;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Pause, resume and promote requests, passed to the saga on {@code stagecraft.rollbacks} through the outbox
 * with their timeline line and audit entry in one transaction. The status does not change here: the saga
 * says what it did ({@code deployment.paused}, {@code .resumed}, {@code .progressed}), because a request
 * can still meet a step that has just ended the deployment.
 */
@ApplicationScoped
public class DeploymentSteering {
    private final Outbox outbox;
    private final AuditLog audit;
    private final Deployments deployments;
    private final Clock clock;

    public DeploymentSteering(Outbox outbox, AuditLog audit, Deployments deployments, Clock clock) {
        this.outbox = outbox;
        this.audit = audit;
        this.deployments = deployments;
        this.clock = clock;
    }

    /** 409 naming every reason when {@link Steering#refusals} has any; {@code full} is for promote only. */
    @WithTransaction
    public Uni<DeploymentView> ask(String id, Steering action, boolean full, String reason, String actor) {
        String why = reason == null || reason.isBlank() ? "no reason given" : reason;
        // Locked like the lifecycle consumer's changes, so that the status judged is the one the saga left.
        return DeploymentLocks.find(id).chain(d -> {
            refuseUnlessAllowed(d, action);
            Instant now = clock.instant();
            TimelineEntry entry = TimelineEntry.of(d.id, now, d.status.name(), action.eventType(),
                    describe(action, full) + " requested by " + actor + ": " + why);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", why);
            if (action == Steering.PROMOTE) {
                details.put("full", full);
            }
            return entry.persist()
                    .chain(() -> outbox.add(Topics.ROLLBACKS, d.id, action.eventType(),
                            new OperatorRequest(d.id, why, actor, now, full)))
                    .chain(() -> audit.record(actor, action.auditAction(), AuditLog.DEPLOYMENT, d.id, details))
                    .chain(() -> deployments.get(id));
        });
    }

    private static void refuseUnlessAllowed(DeploymentEntity d, Steering action) {
        String type = JsonText.read(d.strategy, StrategySpec.class).type();
        List<Problem.Violation> refusals = action.refusals(type, d.status);
        if (!refusals.isEmpty()) {
            throw ApiProblem.conflict("deployment " + d.id + " (" + type + ", " + d.status + ") cannot " + action.verb()
                    + ": " + String.join("; ", refusals.stream().map(Problem.Violation::message).toList()), refusals);
        }
    }

    private static String describe(Steering action, boolean full) {
        return switch (action) {
            case PAUSE -> "pause";
            case RESUME -> "resume";
            case PROMOTE -> full ? "full promotion (every remaining step and analysis skipped)"
                    : "promotion to the next step";
        };
    }
}
