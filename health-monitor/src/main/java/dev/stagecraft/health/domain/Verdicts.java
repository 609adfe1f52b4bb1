package dev.stagecraft.health.domain;

import java.util.List;
import java.util.Optional;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.health.api.VerdictView;
import dev.stagecraft.health.persistence.VerdictEntity;
import dev.stagecraft.platform.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The verdicts reached so far, and the one place a new verdict is stored and announced. */
@ApplicationScoped
public class Verdicts {
    private final Outbox outbox;

    public Verdicts(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Stores the verdict and queues its event. Must run inside the caller's transaction (the inbox's),
     * so that the row, the event and the inbox entry commit together or not at all.
     */
    public Uni<Void> record(VerdictReached verdict) {
        return VerdictEntity.of(verdict).persist()
                .chain(() -> outbox.add(Topics.HEALTH, verdict.deploymentId(), EventTypes.VERDICT_REACHED, verdict));
    }

    /**
     * The verdict already reached on a step, if any: a step asked again (rollout-service re-asks when an answer is
     * late) is answered with it rather than judged a second time.
     */
    @WithSession
    public Uni<Optional<VerdictReached>> reachedOn(String deploymentId, int step) {
        return VerdictEntity.<VerdictEntity>find("deploymentId = ?1 and step = ?2 order by createdAt", deploymentId, step)
                .firstResult().map(row -> Optional.ofNullable(row).map(VerdictEntity::toVerdict));
    }

    /** Queues a verdict already stored once more. In the caller's (the inbox's) transaction. */
    public Uni<Void> announceAgain(VerdictReached verdict) {
        return outbox.add(Topics.HEALTH, verdict.deploymentId(), EventTypes.VERDICT_REACHED, verdict);
    }

    @WithSession
    public Uni<List<VerdictView>> ofDeployment(String deploymentId) {
        return VerdictEntity.ofDeployment(deploymentId)
                .map(rows -> rows.stream().map(VerdictView::of).toList());
    }

    @WithSession
    public Uni<VerdictView> get(String id) {
        return VerdictEntity.<VerdictEntity>findById(id).map(row -> row == null ? null : VerdictView.of(row));
    }
}
