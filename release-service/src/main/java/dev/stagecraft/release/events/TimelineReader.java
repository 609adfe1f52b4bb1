package dev.stagecraft.release.events;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.stagecraft.release.domain.DeploymentStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads the committed timeline lines after a sequence number, one auto-committed query at a time. It goes
 * through the reactive pool rather than a Panache session because a stream lives for minutes and is woken
 * from the Kafka consumer's thread: a single statement holds no transaction and no session across threads.
 */
@ApplicationScoped
public class TimelineReader {
    static final int PAGE = 500;

    private final Pool pool;

    public TimelineReader(Pool pool) {
        this.pool = pool;
    }

    /** The deployment's current status, empty when there is no such deployment. */
    public Uni<Optional<DeploymentStatus>> status(String deploymentId) {
        return pool.preparedQuery("SELECT status FROM deployment WHERE id = $1").execute(Tuple.of(deploymentId))
                .map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(DeploymentStatus.valueOf(it.next().getString("status")))
                            : Optional.<DeploymentStatus>empty();
                });
    }

    /** The lines after {@code afterSeq}, oldest first. */
    public Uni<List<TimelineEvent>> after(String deploymentId, long afterSeq) {
        return pool.preparedQuery("SELECT id, at, status, event_type, message FROM timeline_entry"
                + " WHERE deployment_id = $1 AND id > $2 ORDER BY id LIMIT " + PAGE)
                .execute(Tuple.of(deploymentId, afterSeq))
                .map(rows -> {
                    List<TimelineEvent> events = new ArrayList<>();
                    for (Row row : rows) {
                        events.add(toEvent(deploymentId, row));
                    }
                    return events;
                });
    }

    private static TimelineEvent toEvent(String deploymentId, Row row) {
        String status = row.getString("status");
        OffsetDateTime at = row.getOffsetDateTime("at");
        return new TimelineEvent(row.getLong("id"), deploymentId, at.toInstant(), status, row.getString("event_type"),
                row.getString("message"), isTerminal(status));
    }

    static boolean isTerminal(String status) {
        try {
            return DeploymentStatus.valueOf(status).isTerminal();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
