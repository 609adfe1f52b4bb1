package dev.stagecraft.release.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.cdevents.DeploymentCdEvents;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.TimelineEntry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one way a started deployment's status moves (the saga's lifecycle facts, the bake's end, an alert's or a
 * person's rollback during the bake, that rollback's end), so that no move forgets what goes with it: the status,
 * {@code updatedAt}, {@code finishedAt} and {@code reasons} of a final one, the timeline line, the lifecycle facts
 * release-service tells itself on {@code stagecraft.deployments}, and the CDEvents of the move. What a move means for
 * the environment's slot, the audit log or other deployments stays with its caller. Called in the caller's
 * transaction, the environment locked.
 */
@ApplicationScoped
public class DeploymentMoves {
    private final LifecycleFacts facts;
    private final DeploymentCdEvents cdEvents;
    private final Clock clock;

    public DeploymentMoves(LifecycleFacts facts, DeploymentCdEvents cdEvents, Clock clock) {
        this.facts = facts;
        this.cdEvents = cdEvents;
        this.clock = clock;
    }

    /** A move of {@code d} to {@code to}, its timeline line {@code message} under {@code eventType}. */
    public static Move of(DeploymentEntity d, DeploymentStatus to, String eventType, String message) {
        return new Move(d, to, eventType, message);
    }

    /** What the reasons become: {@code [message]}, the message added, or unchanged. */
    public enum Reasons {
        REPLACE, APPEND, KEEP
    }

    /** One move; by default timed now, final ones finished then with {@code [message]} as their reasons. */
    public static final class Move {
        private final DeploymentEntity d;
        private final DeploymentStatus to;
        private final String eventType;
        private String message;
        private Instant at;
        private Instant finishedAt;
        private Reasons reasons;
        private String restoredVersion;
        private final List<String[]> facts = new ArrayList<>();

        private Move(DeploymentEntity d, DeploymentStatus to, String eventType, String message) {
            this.d = d;
            this.to = to;
            this.eventType = eventType;
            this.message = message;
        }

        /** When it happened (the timeline's time, and the end of a final move). */
        public Move at(Instant at) {
            this.at = at;
            return this;
        }

        /** A final move's end, when it is not the move's own time (a bake ends when it was due). */
        public Move finishedAt(Instant finishedAt) {
            this.finishedAt = finishedAt;
            return this;
        }

        public Move reasons(Reasons reasons) {
            this.reasons = reasons;
            return this;
        }

        /** The release a rollback brought back, for {@code service.rolledback}. */
        public Move restored(String version) {
            this.restoredVersion = version;
            return this;
        }

        /** Publish the move's own event type as a fact: release-service made it (the saga tells its own). */
        public Move told() {
            return tell(eventType, message);
        }

        /** Publish {@code type} with {@code factMessage} after the move. */
        public Move tell(String type, String factMessage) {
            facts.add(new String[] { type, factMessage });
            return this;
        }

        /** The timeline line, as the move ends up saying it. */
        public Move message(String message) {
            this.message = message;
            return this;
        }

        public String message() {
            return message;
        }
    }

    /** Makes the move; fails if the status table does not allow it (callers check what may come from outside). */
    public Uni<Void> apply(Move m) {
        DeploymentEntity d = m.d;
        DeploymentStatus from = d.status;
        if (!from.canMoveTo(m.to)) {
            throw new IllegalStateException("deployment " + d.id + ": " + from + " cannot become " + m.to);
        }
        Instant now = clock.instant();
        Instant at = m.at != null ? m.at : now;
        d.status = m.to;
        d.updatedAt = now;
        if (m.to.isTerminal()) {
            d.finishedAt = m.finishedAt != null ? m.finishedAt : at;
        }
        Reasons reasons = m.reasons != null ? m.reasons : m.to.isTerminal() ? Reasons.REPLACE : Reasons.KEEP;
        if (reasons == Reasons.REPLACE) {
            d.reasons = JsonText.write(List.of(m.message));
        } else if (reasons == Reasons.APPEND) {
            List<String> all = new ArrayList<>(d.reasons == null ? List.of()
                    : JsonText.read(d.reasons, new TypeReference<List<String>>() {
                    }));
            all.add(m.message);
            d.reasons = JsonText.write(all);
        }
        Uni<Void> done = TimelineEntry.of(d.id, at, m.to.name(), m.eventType, m.message).persist().replaceWithVoid();
        for (String[] fact : m.facts) {
            done = done.chain(() -> facts.publish(fact[0], d, fact[1]));
        }
        return done.chain(() -> cdEvents.moved(d, from, m.message, m.restoredVersion));
    }
}
