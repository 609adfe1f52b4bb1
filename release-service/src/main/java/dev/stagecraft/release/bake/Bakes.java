package dev.stagecraft.release.bake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;


import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.release.domain.DeploymentSlots;
import dev.stagecraft.release.domain.DeploymentStatus;
import dev.stagecraft.release.domain.DeploymentMoves;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The bake: after the saga has rolled a release out, an environment with a bake time keeps the deployment in
 * BAKING (holding its slot) while it is watched, then makes it SUCCEEDED. The saga itself has ended by then;
 * what happens during the bake is release-service's, told on {@code stagecraft.deployments} as its own facts
 * ({@code baking}, {@code baked}, {@code bake-failed}, {@code rollback-ended}). The end of a bake is found by
 * a sweep over {@code bake_until} in the database ({@link BakeTimer}), so a restart loses no bake.
 */
@ApplicationScoped
public class Bakes {
    /** Due bakes ended per pass; the rest wait for the next pass. */
    private static final int BATCH = 50;

    private final DeploymentMoves moves;
    private final DeploymentSlots slots;
    private final Clock clock;

    public Bakes(DeploymentMoves moves, DeploymentSlots slots, Clock clock) {
        this.moves = moves;
        this.slots = slots;
        this.clock = clock;
    }

    /** How long {@code d} bakes once rolled out: its environment's bake time, never for an alert's rollback. */
    public Optional<Duration> bakeOf(DeploymentEntity d, EnvironmentEntity env) {
        return d.rollbackOf != null || env == null ? Optional.empty() : BakeTime.of(env.bakeTime);
    }

    /**
     * {@code d} becomes BAKING on the saga's {@code succeeded} ({@code move}): the bake runs from the moment the
     * rollout ended, its end is kept, and the move tells {@code deployment.baking}.
     */
    public void start(DeploymentEntity d, EnvironmentEntity env, Instant rolledOutAt, Duration bake,
            DeploymentMoves.Move move) {
        d.bakeUntil = rolledOutAt.plus(bake);
        String watch = "baking for " + env.bakeTime + ", until " + d.bakeUntil
                + ": a firing alert for this service and environment rolls it back";
        move.message(move.message() + "; " + watch).tell(EventTypes.DEPLOYMENT_BAKING, "rolled out; " + watch);
    }

    /** Ends every bake whose time has come, each in a transaction of its own; the number ended. */
    public Uni<Integer> endDueBakes() {
        Instant now = clock.instant();
        return Panache.withSession(() -> DeploymentEntity.<DeploymentEntity>find(
                "status = ?1 and bakeUntil <= ?2 order by bakeUntil", DeploymentStatus.BAKING, now)
                .page(0, BATCH).list())
                .map(due -> due.stream().map(d -> new Due(d.id, d.environment)).toList())
                .chain(due -> Multi.createFrom().iterable(due)
                        .onItem().transformToUniAndConcatenate(d -> Panache.withTransaction(() -> end(d)))
                        .collect().asList())
                .map(ended -> (int) ended.stream().filter(Boolean::booleanValue).count());
    }

    private record Due(String id, String environment) {
    }

    /** Locked like every other change in the environment, then read again: an alert may have come first. */
    private Uni<Boolean> end(Due due) {
        return DeploymentSlots.lock(due.environment()).chain(() -> DeploymentEntity.<DeploymentEntity>findById(due.id()))
                .chain(d -> {
                    Instant now = clock.instant();
                    if (d == null || d.status != DeploymentStatus.BAKING || d.bakeUntil.isAfter(now)) {
                        return Uni.createFrom().item(false);
                    }
                    String message = "baked without an alert until " + d.bakeUntil + "; succeeded";
                    return moves.apply(DeploymentMoves.of(d, DeploymentStatus.SUCCEEDED, EventTypes.DEPLOYMENT_BAKED,
                            message).finishedAt(d.bakeUntil).told())
                            .chain(() -> slots.release(d))
                            .replaceWith(true);
                });
    }

    /**
     * {@code rollback}, started by an alert during the bake of another deployment, has ended: that deployment is
     * ROLLED_BACK if it succeeded, else FAILED (the alerting release may still serve: a human must look). The
     * environment is locked by the caller.
     */
    public Uni<Void> rollbackEnded(DeploymentEntity rollback) {
        return DeploymentEntity.<DeploymentEntity>findById(rollback.rollbackOf).chain(baked -> {
            if (baked == null || baked.status != DeploymentStatus.ROLLING_BACK) {
                return Uni.createFrom().voidItem();
            }
            boolean restored = rollback.status == DeploymentStatus.SUCCEEDED;
            String message = restored
                    ? "rolled back: deployment " + rollback.id + " restored " + rollback.version
                    : "rollback deployment " + rollback.id + " to " + rollback.version + " ended " + rollback.status
                            + "; " + baked.version + " may still serve: needs a human";
            return moves.apply(DeploymentMoves.of(baked, restored ? DeploymentStatus.ROLLED_BACK : DeploymentStatus.FAILED,
                    EventTypes.DEPLOYMENT_ROLLBACK_ENDED, message)
                    .finishedAt(rollback.finishedAt != null ? rollback.finishedAt : clock.instant())
                    .reasons(DeploymentMoves.Reasons.APPEND).restored(restored ? rollback.version : null).told());
        });
    }
}
