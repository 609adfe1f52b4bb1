package dev.stagecraft.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.platform.outbox.OutboxRelay;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/**
 * The outbox relay runs every 50 ms and after every applied event, for as long as the service runs. Through a
 * Hibernate native select, each pass added two entries to the query plan cache that no lookup ever hit, all with one
 * hash: within minutes every native query of the service scanned thousands of them, on the thread that handles the
 * events. The relay now goes through the reactive SQL pool; this holds it there. It also holds the relay's lock: among
 * replicas one relays at a time, and the lock and the oldest rows are now read in one statement.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class RelayQueryPlansTest {
    private static final int PASSES = 40;

    @Inject
    OutboxRelay relay;
    @Inject
    Mutiny.SessionFactory sessions;
    @Inject
    Pool pool;

    @Test
    void relayPassesLeaveTheQueryPlanCacheAsItWas() throws InterruptedException {
        int before = cachedPlans();
        for (int i = 0; i < PASSES; i++) {
            relay.wake();
            Thread.sleep(25);
        }
        int after = cachedPlans();
        // Before the fix this grew by about two per pass (80 here); other work of the service may add a plan or two.
        assertTrue(after - before < 5, "query plans cached grew from " + before + " to " + after + " over " + PASSES
                + " relay passes");
    }

    @Test
    void aRelayWithoutTheLockSendsNothingAndTheOneWithItSendsEverything() throws InterruptedException {
        // The test topic exists and the producer knows it before the lock is taken: a pass then takes milliseconds.
        String warmUp = insertRow();
        awaitRelayed(warmUp);
        // Another replica's relay, mid-pass: it holds the lock until its transaction ends.
        SqlConnection otherReplica = pool.getConnection().await().indefinitely();
        try {
            otherReplica.query("BEGIN").execute().await().indefinitely();
            otherReplica.query("SELECT pg_advisory_xact_lock(7001)").execute().await().indefinitely();
            String eventId = insertRow();
            for (int i = 0; i < 20; i++) {
                relay.wake();
                Thread.sleep(50);
            }
            assertEquals(1, rowsOf(eventId), "a relay without the lock must leave the row to the one holding it");

            otherReplica.query("COMMIT").execute().await().indefinitely();
            awaitRelayed(eventId);
        } finally {
            otherReplica.close().await().indefinitely();
        }
    }

    private String insertRow() {
        String eventId = UUID.randomUUID().toString();
        pool.preparedQuery("INSERT INTO outbox_event (event_id, topic, event_key, type, payload, created_at)"
                + " VALUES ($1, 'stagecraft.relay-lock-test', 'k', 'dev.stagecraft.test.relay-lock', '{}', now())")
                .execute(Tuple.of(eventId)).await().indefinitely();
        return eventId;
    }

    private void awaitRelayed(String eventId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (rowsOf(eventId) > 0 && System.currentTimeMillis() < deadline) {
            relay.wake();
            Thread.sleep(50);
        }
        assertEquals(0, rowsOf(eventId), "the relay holding the lock sends the row and deletes it");
    }

    private long rowsOf(String eventId) {
        return pool.preparedQuery("SELECT count(*) FROM outbox_event WHERE event_id = $1").execute(Tuple.of(eventId))
                .await().indefinitely().iterator().next().getLong(0);
    }

    private int cachedPlans() {
        SessionFactoryImplementor factory = (SessionFactoryImplementor) sessions.getCache().getSessionFactory();
        return factory.getQueryEngine().getInterpretationCache().getNumberOfCachedQueryPlans();
    }
}
