package dev.stagecraft.release.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.stagecraft.contracts.SmokeCheck;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.domain.Gate;
import dev.stagecraft.release.domain.ReleaseSmokeChecks;
import dev.stagecraft.release.persistence.ApprovalEntity;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.TimelineEntry;

/**
 * A deployment as users see it. {@code waitingFor} is the deployment it is queued behind (or waits to
 * supersede) while it waits for the slot, else null. {@code approvals} lists approvals and rejections.
 * {@code smokeChecks} are the deployment's own (its release's run too), header values shown as {@code ***}.
 */
public record DeploymentView(String id, String service, String version, String environment, StrategySpec strategy,
        List<SmokeCheck> smokeChecks, String status, List<Step> timeline, List<String> reasons, List<Gate> gates, List<Approval> approvals,
        String waitingFor, String requestedBy, Instant createdAt, Instant finishedAt) {

    public record Step(Instant at, String status, String event, String message) {
    }

    /** {@code decision} is APPROVED or REJECTED; {@code comment} is the approver's comment or the rejection's reason. */
    public record Approval(String decision, String by, Instant at, String comment) {
    }

    public static DeploymentView of(DeploymentEntity d, List<TimelineEntry> timeline, List<ApprovalEntity> approvals) {
        return new DeploymentView(d.id, d.service, d.version, d.environment,
                JsonText.read(d.strategy, StrategySpec.class), ReleaseSmokeChecks.shown(ReleaseSmokeChecks.of(d)),
                d.status.name(),
                timeline.stream().map(t -> new Step(t.at, t.status, t.eventType, t.message)).toList(),
                JsonText.read(d.reasons, new TypeReference<List<String>>() {
                }),
                JsonText.read(d.gates, new TypeReference<List<Gate>>() {
                }),
                approvals.stream().map(a -> new Approval(a.decision, a.actor, a.at, a.comment)).toList(),
                d.waitingFor, d.requestedBy, d.createdAt, d.finishedAt);
    }
}
