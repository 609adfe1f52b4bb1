package dev.stagecraft.rollout.persistence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.persistence.OptimisticLockException;

import dev.stagecraft.platform.outbox.OutboxEvent;
import dev.stagecraft.platform.outbox.OutboxRows;
import dev.stagecraft.platform.persistence.JsonText;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * What one fact did to a saga, written in one statement in the caller's transaction: the saga's row, its decision log
 * lines and its outbox rows. Each of those was a round trip of its own (an insert per line and per outbox row, then
 * the row's update at the flush), and a saga hop waits for every one before its next command can be relayed.
 *
 * <p>Everything travels in one JSON parameter, so the statement's text is the same for any number of lines and rows,
 * and lines and rows are inserted in their list's order. The row is written only if it still has the version read;
 * otherwise (a deadline judged at the same moment) the write fails with an {@link OptimisticLockException}, the
 * transaction rolls back with everything in it, and the consumer retries the fact on the row as it now is.
 */
public final class SagaWrite {
    // The parameter is text, cast in SQL: typed json, the driver would send a Java string as a JSON string.
    private static final String HOP = "hop AS MATERIALIZED (SELECT CAST(CAST(:hop AS text) AS json) AS j)";
    private static final String DECISIONS = "decisions AS (INSERT INTO saga_decision (deployment_id, at, fact, decision)"
            + " SELECT hop.j->>'deploymentId', CAST(d->>'at' AS timestamptz), d->>'fact', d->>'decision'"
            + " FROM hop, json_array_elements(hop.j->'decisions') WITH ORDINALITY AS lines(d, n) ORDER BY n)";
    private static final String OUTBOX = "outbox AS (" + OutboxRows.insertFrom("(SELECT hop.j->'outbox' FROM hop)") + ")";
    private static final String WITH = "WITH " + HOP + ", " + DECISIONS + ", " + OUTBOX;

    private static final String UPDATE = WITH
            + " UPDATE saga SET status = hop.j->>'status', phase = hop.j->>'phase', state = hop.j->>'state',"
            + " deadline = CAST(hop.j->>'deadline' AS timestamptz),"
            + " phase_started_at = CAST(hop.j->>'phaseStartedAt' AS timestamptz),"
            + " updated_at = CAST(hop.j->>'updatedAt' AS timestamptz), row_version = saga.row_version + 1"
            + " FROM hop WHERE saga.deployment_id = hop.j->>'deploymentId'"
            + " AND saga.row_version = CAST(hop.j->>'rowVersion' AS bigint)";

    // A new saga's decision lines refer to its row: the foreign key is checked at the statement's end, row in place.
    private static final String INSERT = WITH
            + " INSERT INTO saga (deployment_id, strategy, status, phase, state, deadline, phase_started_at,"
            + " created_at, updated_at, row_version)"
            + " SELECT hop.j->>'deploymentId', hop.j->>'strategy', hop.j->>'status', hop.j->>'phase', hop.j->>'state',"
            + " CAST(hop.j->>'deadline' AS timestamptz), CAST(hop.j->>'phaseStartedAt' AS timestamptz),"
            + " CAST(hop.j->>'createdAt' AS timestamptz), CAST(hop.j->>'updatedAt' AS timestamptz), 0 FROM hop";

    /** A saga's decision log line. */
    public record Line(Instant at, String fact, String decision) {
    }

    /** Updates the row read as {@code row} (its {@code rowVersion}, the version read), with its lines and outbox rows. */
    public static Uni<Void> update(SagaEntity row, List<Line> lines, List<OutboxEvent> outbox) {
        return execute(UPDATE, row, lines, outbox).invoke(updated -> {
            if (updated != 1) {
                throw new OptimisticLockException("saga " + row.deploymentId + " changed since version "
                        + row.rowVersion + " was read");
            }
        }).replaceWithVoid();
    }

    /** Inserts a new saga with its first lines and outbox rows; a saga of that id already there fails it (23505). */
    public static Uni<Void> insert(SagaEntity row, List<Line> lines, List<OutboxEvent> outbox) {
        return execute(INSERT, row, lines, outbox).replaceWithVoid();
    }

    private static Uni<Integer> execute(String sql, SagaEntity row, List<Line> lines, List<OutboxEvent> outbox) {
        String hop = JsonText.write(json(row, lines, outbox));
        return Panache.getSession().chain(session -> session.createNativeQuery(sql).setParameter("hop", hop)
                .executeUpdate());
    }

    static Map<String, Object> json(SagaEntity row, List<Line> lines, List<OutboxEvent> outbox) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("deploymentId", row.deploymentId);
        json.put("strategy", row.strategy);
        json.put("status", row.status);
        json.put("phase", row.phase);
        json.put("state", row.state);
        json.put("deadline", text(row.deadline));
        json.put("phaseStartedAt", text(row.phaseStartedAt));
        json.put("createdAt", text(row.createdAt));
        json.put("updatedAt", text(row.updatedAt));
        json.put("rowVersion", row.rowVersion);
        json.put("decisions", lines.stream().map(line -> Map.of("at", line.at().toString(), "fact", line.fact(),
                "decision", line.decision())).toList());
        json.put("outbox", OutboxRows.json(outbox));
        return json;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    private SagaWrite() {
    }
}
