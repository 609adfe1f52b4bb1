package dev.stagecraft.release.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.api.DeploymentView;
import dev.stagecraft.release.persistence.ApprovalEntity;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.persistence.TimelineEntry;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Approving or rejecting a deployment that waits in AWAITING_APPROVAL. Separation of duties: the
 * requester cannot approve their own deployment. Whoever may approve at all is the caller's business
 * (roles); this class only knows the acting user's name.
 */
@ApplicationScoped
public class DeploymentApprovals {
    static final String APPROVED = "approval.approved";
    static final String REJECTED = "approval.rejected";
    static final int MAX_TEXT = 1000;
    private static final TypeReference<List<Gate>> GATES = new TypeReference<>() {
    };

    private final DeploymentSlots slots;
    private final SagaStarts sagas;
    private final LifecycleFacts facts;
    private final AuditLog audit;
    private final Deployments deployments;
    private final Clock clock;

    public DeploymentApprovals(DeploymentSlots slots, SagaStarts sagas, LifecycleFacts facts, AuditLog audit,
            Deployments deployments, Clock clock) {
        this.slots = slots;
        this.sagas = sagas;
        this.facts = facts;
        this.audit = audit;
        this.deployments = deployments;
        this.clock = clock;
    }

    /**
     * Moves the deployment to REQUESTED and, if it holds the slot, starts its saga (in this transaction).
     * The deploy window is judged again, now: an approval outside it is refused unless the request broke
     * the glass.
     */
    @WithTransaction
    public Uni<DeploymentView> approve(String id, String actor, String comment) {
        checkLength("comment", comment);
        return DeploymentLocks.find(id).chain(d -> {
            requireAwaitingApproval(d, "approve");
            if (actor.equals(d.requestedBy)) {
                throw new ApiProblem(403, "Forbidden", "separation of duties: " + actor + " requested deployment "
                        + id + " and cannot approve it; another approver must",
                        List.of(new Problem.Violation("approver", "separation of duties: the requester may not"
                                + " approve their own deployment")));
            }
            Instant now = clock.instant();
            return EnvironmentEntity.<EnvironmentEntity>findById(d.environment).chain(env -> {
                Gate window = d.overrideReason != null ? null : WindowGate.evaluate(env, now, actor, null);
                if (window != null && window.refuses()) {
                    throw ApiProblem.conflict("the deploy window is closed; approve when it is open",
                            List.of(new Problem.Violation("gate." + Gate.WINDOW, window.reason())));
                }
                String said = comment == null || comment.isBlank() ? "" : ": " + comment.strip();
                d.status = DeploymentStatus.REQUESTED;
                d.updatedAt = now;
                d.gates = JsonText.write(replace(d.gates, window == null ? null
                        : Gate.pass(Gate.WINDOW, window.reason() + " (judged again at approval)"),
                        Gate.pass(Gate.APPROVAL, "approved by " + actor + said)));
                String next = d.active ? "starting" : ConcurrencyMode.SUPERSEDE.wire().equals(d.waitingMode)
                        ? "superseding deployment " + d.waitingFor : "still queued behind deployment " + d.waitingFor;
                String line = "approved by " + actor + said + "; " + next;
                return ApprovalEntity.of(d.id, ApprovalEntity.APPROVED, actor, now, blankToNull(comment)).persist()
                        .chain(() -> TimelineEntry.of(d.id, now, d.status.name(), APPROVED, line).persist())
                        .chain(() -> audit.record(actor, "deployment.approved", AuditLog.DEPLOYMENT, d.id,
                                details("comment", comment)))
                        // Approved but still behind the slot's holder: followers learn it waits, not that it starts.
                        .chain(() -> d.active ? Uni.createFrom().voidItem() : facts.queued(d, line))
                        .chain(() -> d.active ? sagas.start(d)
                                : ConcurrencyMode.SUPERSEDE.wire().equals(d.waitingMode) ? slots.supersede(d, actor)
                                        : Uni.createFrom().voidItem());
            }).chain(() -> deployments.get(id));
        });
    }

    /** Ends the deployment REJECTED; if it held the slot, the next waiting deployment gets it. */
    @WithTransaction
    public Uni<DeploymentView> reject(String id, String actor, String reason) {
        if (reason == null || reason.isBlank()) {
            throw ApiProblem.badRequest("a rejection needs a reason", List.of(new Problem.Violation("reason",
                    "is required: tell the requester why")));
        }
        checkLength("reason", reason);
        return DeploymentLocks.find(id).chain(d -> {
            requireAwaitingApproval(d, "reject");
            Instant now = clock.instant();
            String why = "rejected by " + actor + ": " + reason.strip();
            d.gates = JsonText.write(replace(d.gates, null, Gate.fail(Gate.APPROVAL, why)));
            return ApprovalEntity.of(d.id, ApprovalEntity.REJECTED, actor, now, reason.strip()).persist()
                    .chain(() -> slots.endUnstarted(d, DeploymentStatus.REJECTED, REJECTED, why))
                    .chain(() -> audit.record(actor, "deployment.rejected", AuditLog.DEPLOYMENT, d.id,
                            details("reason", reason)))
                    .chain(() -> deployments.get(id));
        });
    }

    private static void requireAwaitingApproval(DeploymentEntity d, String what) {
        if (d.status != DeploymentStatus.AWAITING_APPROVAL) {
            throw ApiProblem.conflict("deployment " + d.id + " is " + d.status + ", not AWAITING_APPROVAL: nothing to "
                    + what, List.of(new Problem.Violation("status", d.status.name())));
        }
    }

    /** The stored gates with {@code window} (if given) and {@code approval} replaced, order kept. */
    private static List<Gate> replace(String gatesJson, Gate window, Gate approval) {
        List<Gate> gates = new ArrayList<>();
        for (Gate g : JsonText.read(gatesJson, GATES)) {
            gates.add(g.name().equals(Gate.APPROVAL) ? approval : window != null && g.name().equals(Gate.WINDOW) ? window : g);
        }
        return gates;
    }

    private static void checkLength(String field, String text) {
        if (text != null && text.length() > MAX_TEXT) {
            throw ApiProblem.badRequest("the " + field + " is too long", List.of(new Problem.Violation(field,
                    "at most " + MAX_TEXT + " characters")));
        }
    }

    private static Map<String, Object> details(String key, String value) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(key, blankToNull(value));
        return details;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
