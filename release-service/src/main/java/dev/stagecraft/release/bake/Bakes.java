package dev.stagecraft.release.bake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.cdevents.DeploymentCdEvents;
import dev.stagecraft.release.domain.DeploymentSlots;
import dev.stagecraft.release.domain.DeploymentStatus;
import dev.stagecraft.release.domain.LifecycleFacts;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.persistence.TimelineEntry;
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

    private final LifecycleFacts facts;
    private final DeploymentSlots slots;
    private final Clock clock;
    private final DeploymentCdEvents cdEvents;

    public Bakes(LifecycleFacts facts, DeploymentSlots slots, Clock clock, DeploymentCdEvents cdEvents) {
        this.cdEvents = cdEvents;
        this.facts = facts;
        this.slots = slots;
        this.clock = clock;
    }

    /** How long {@code d} bakes once rolled out: its environment's bake time, never for an alert's rollback. */
    public Optional<Duration> bakeOf(DeploymentEntity d, EnvironmentEntity env) {
        return d.rollbackOf != null || env == null ? Optional.empty() : BakeTime.of(env.bakeTime);
    }

    /**
     * {@code d} has just become BAKING on the saga's {@code succeeded} (line {@code entry}, not yet stored): the
     * bake runs from the moment the rollout ended.
     */
    public Uni<Void> start(DeploymentEntity d, EnvironmentEntity env, Instant rolledOutAt, Duration bake,
            TimelineEntry entry) {
        d.bakeUntil = rolledOutAt.plus(bake);
        String watch = "baking for " + env.bakeTime + ", until " + d.bakeUntil
                + ": a firing alert for this service and environment rolls it back";
        entry.message = entry.message + "; " + watch;
        return facts.publish(EventTypes.DEPLOYMENT_BAKING, d, "rolled out; " + watch);
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
                    d.status = DeploymentStatus.SUCCEEDED;
                    d.finishedAt = d.bakeUntil;
                    d.updatedAt = now;
                    d.reasons = JsonText.write(List.of(message));
                    return TimelineEntry.of(d.id, now, d.status.name(), EventTypes.DEPLOYMENT_BAKED, message).persist()
                            .chain(() -> facts.publish(EventTypes.DEPLOYMENT_BAKED, d, message))
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
            Instant now = clock.instant();
            baked.status = restored ? DeploymentStatus.ROLLED_BACK : DeploymentStatus.FAILED;
            baked.finishedAt = rollback.finishedAt != null ? rollback.finishedAt : now;
            baked.updatedAt = now;
            List<String> reasons = new ArrayList<>(JsonText.read(baked.reasons, new TypeReference<List<String>>() {
            }));
            reasons.add(message);
            baked.reasons = JsonText.write(reasons);
            return TimelineEntry.of(baked.id, now, baked.status.name(), EventTypes.DEPLOYMENT_ROLLBACK_ENDED, message)
                    .persist().chain(() -> facts.publish(EventTypes.DEPLOYMENT_ROLLBACK_ENDED, baked, message))
                    .chain(() -> cdEvents.moved(baked, DeploymentStatus.ROLLING_BACK, message,
                            restored ? rollback.version : null));
        });
    }
}
