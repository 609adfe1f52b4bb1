package dev.stagecraft.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;

import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.platform.outbox.OutboxEvent;
import dev.stagecraft.rollout.persistence.SagaEntity;
import dev.stagecraft.rollout.persistence.SagaWrite;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A saga's row, its decision lines and its outbox rows go in one statement: all of it or none of it, lines and rows in
 * their lists' order, and never over a row that changed since it was read.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class SagaWriteTest {
    @Inject
    Outbox outbox;
    @Inject
    Pool pool;
    @Inject
    Mutiny.SessionFactory sessions;

    @Test
    void aNewSagaGoesInWithItsLinesAndItsOutboxRowsInOrder() throws Throwable {
        SagaEntity row = newRow();
        List<OutboxEvent> events = List.of(event(row, "first"), event(row, "second"), event(row, "third"));
        inTransaction(() -> SagaWrite.insert(row, List.of(line("requested", "started"), line("kept", "applied")),
                events));

        Row saga = one("SELECT status, phase, state, deadline, row_version FROM saga WHERE deployment_id = $1",
                row.deploymentId);
        assertEquals("IN_PROGRESS", saga.getString("status"));
        assertEquals("RESOLVING", saga.getString("phase"));
        assertEquals("{\"step\":0}", saga.getString("state"));
        assertEquals(row.deadline, saga.getOffsetDateTime("deadline").toInstant());
        assertEquals(0L, saga.getLong("row_version"));
        assertEquals(List.of("requested → started", "kept → applied"), strings(
                "SELECT fact || ' → ' || decision FROM saga_decision WHERE deployment_id = $1 ORDER BY id",
                row.deploymentId));
        assertEquals(List.of("first", "second", "third"), strings(
                "SELECT type FROM outbox_event WHERE event_key = $1 ORDER BY id", row.deploymentId));
    }

    @Test
    void anUpdateOfTheVersionReadMovesTheVersionOn() throws Throwable {
        SagaEntity row = newRow();
        inTransaction(() -> SagaWrite.insert(row, List.of(line("requested", "started")), List.of()));
        row.phase = "UPDATING";
        row.deadline = null; // paused sagas have none
        inTransaction(() -> SagaWrite.update(row, List.of(line("targets resolved", "request update")),
                List.of(event(row, "update"))));

        Row saga = one("SELECT phase, deadline, row_version FROM saga WHERE deployment_id = $1", row.deploymentId);
        assertEquals("UPDATING", saga.getString("phase"));
        assertEquals(null, saga.getValue("deadline"));
        assertEquals(1L, saga.getLong("row_version"));
        assertEquals(2, strings("SELECT fact FROM saga_decision WHERE deployment_id = $1", row.deploymentId).size());
    }

    @Test
    void anUpdateOverARowChangedSinceItWasReadWritesNothing() throws Throwable {
        SagaEntity row = newRow();
        inTransaction(() -> SagaWrite.insert(row, List.of(line("requested", "started")), List.of()));
        SagaEntity stale = newRowLike(row);
        row.phase = "UPDATING";
        inTransaction(() -> SagaWrite.update(row, List.of(line("deadline passed", "ask again")), List.of()));

        stale.phase = "DONE";
        assertThrows(OptimisticLockException.class, () -> inTransaction(() -> SagaWrite.update(stale,
                List.of(line("verdict PASS", "done")), List.of(event(stale, "done")))));
        assertEquals("UPDATING", one("SELECT phase FROM saga WHERE deployment_id = $1", row.deploymentId)
                .getString("phase"));
        assertEquals(List.of("requested", "deadline passed"), strings(
                "SELECT fact FROM saga_decision WHERE deployment_id = $1 ORDER BY id", row.deploymentId));
        assertEquals(List.of(), strings("SELECT type FROM outbox_event WHERE event_key = $1", row.deploymentId));
    }

    @Test
    void writesLeaveTheQueryPlanCacheAsItWas() throws Throwable {
        SagaEntity row = newRow();
        inTransaction(() -> SagaWrite.insert(row, List.of(line("requested", "started")), List.of()));
        int before = cachedPlans();
        for (int i = 0; i < 30; i++) {
            row.rowVersion = i;
            inTransaction(() -> SagaWrite.update(row, List.of(line("fact", "decision")), List.of(event(row, "e"))));
        }
        int after = cachedPlans();
        assertTrue(after - before < 5, "query plans cached grew from " + before + " to " + after + " over 30 writes");
    }

    private static SagaEntity newRow() {
        SagaEntity row = new SagaEntity();
        row.deploymentId = UUID.randomUUID().toString();
        row.strategy = "rolling";
        row.status = "IN_PROGRESS";
        row.phase = "RESOLVING";
        row.state = "{\"step\":0}";
        row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        row.phaseStartedAt = row.createdAt;
        row.updatedAt = row.createdAt;
        row.deadline = row.createdAt.plusSeconds(30);
        return row;
    }

    private static SagaEntity newRowLike(SagaEntity row) {
        SagaEntity copy = newRow();
        copy.deploymentId = row.deploymentId;
        copy.rowVersion = row.rowVersion;
        return copy;
    }

    private static SagaWrite.Line line(String fact, String decision) {
        return new SagaWrite.Line(Instant.now(), fact, decision);
    }

    private OutboxEvent event(SagaEntity row, String type) {
        return outbox.row("stagecraft.test.saga-write", row.deploymentId, type, "{}");
    }

    private void inTransaction(java.util.function.Supplier<Uni<Void>> work) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(work));
    }

    private Row one(String sql, String id) {
        var rows = pool.preparedQuery(sql).execute(Tuple.of(id)).await().indefinitely();
        assertEquals(1, rows.size(), sql);
        return rows.iterator().next();
    }

    private List<String> strings(String sql, String id) {
        List<String> out = new java.util.ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.of(id)).await().indefinitely().forEach(r -> out.add(r.getString(0)));
        return out;
    }

    private int cachedPlans() {
        SessionFactoryImplementor factory = (SessionFactoryImplementor) sessions.getCache().getSessionFactory();
        return factory.getQueryEngine().getInterpretationCache().getNumberOfCachedQueryPlans();
    }
}
