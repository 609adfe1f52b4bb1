package dev.stagecraft.release.cdevents;

import dev.stagecraft.contracts.Topics;
import dev.stagecraft.contracts.cdevents.ArtifactPurl;
import dev.stagecraft.contracts.cdevents.CdEvent;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.release.persistence.ReleaseEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes a CDEvent to the outbox in the caller's transaction, for {@link Topics#CDEVENTS}: relayed like every other
 * event (after the commit, idempotent producer, CloudEvents binary mode), under {@link CdEvent#key()}. Its
 * context repeats the record's {@code ce_id}, {@code ce_source} and {@code ce_time}.
 */
@ApplicationScoped
public class CdEventOutbox {
    private final Outbox outbox;

    public CdEventOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> publish(CdEvent event) {
        return outbox.add(Topics.CDEVENTS, event.key(), event.type(),
                stamp -> event.document(stamp.eventId(), stamp.source(), stamp.at()));
    }

    /** The release's artifact as CDEvents names it. */
    public static String artifactId(ReleaseEntity release) {
        return ArtifactPurl.of(release.service, release.version, release.artifactSha256);
    }
}
