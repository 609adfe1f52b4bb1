package dev.stagecraft.platform.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.stagecraft.platform.reactive.PeriodicReactiveTask;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Moves committed outbox rows to Kafka, oldest first, and deletes them only after the broker has
 * acknowledged them: a crash in between publishes them again (at least once), which the consumers'
 * inboxes absorb. Among several replicas of a service, one relays at a time (a transaction-scoped
 * advisory lock): two relaying side by side could publish one deployment's events out of order.
 *
 * <p>It runs as soon as a transaction that wrote outbox rows has committed ({@link #wake()}, called by
 * {@code IdempotentConsumer} after each applied event), so a saga hop costs what the broker costs, not the
 * polling period. Polling stays as the safety net, for writers that do not wake it (REST requests) and for a
 * pass that failed: a Vert.x timer rather than {@code @Scheduled}, whose shortest period is one second.
 * Waking changes neither guarantee: one pass at a time, rows oldest first, deleted only once acknowledged.
 *
 * <p>It speaks to PostgreSQL through the reactive SQL pool, not a Hibernate session: every native select through
 * Hibernate Reactive adds an entry to the query plan cache that no later lookup can hit (its result-set mapping
 * compares by identity), so with a pass every 50 ms the cache fills with same-hash entries and every native query of
 * the service scans them. That took a third of each service's CPU samples, on the thread that handles the events.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /**
     * The relay's lock and the oldest rows in one round trip: a hop waits for every statement before its record is
     * sent. The lock is tried once (a materialised CTE, evaluated once); a volatile function in the WHERE clause would
     * be evaluated per row, and a lock that came free in the middle of the scan could let later rows go before earlier
     * ones. Not holding it reads no rows.
     */
    private static final String LOCKED_NEXT_BATCH =
            "WITH relay AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(7001) AS held)"
            + " SELECT o.id, o.event_id, o.topic, o.event_key, o.type, o.payload, o.created_at"
            + " FROM relay, outbox_event o WHERE relay.held ORDER BY o.id LIMIT $1";
    private static final String DELETE_SENT = "DELETE FROM outbox_event WHERE id = ANY($1)";

    private final CloudEventProducer producer;
    private final Pool pool;
    private final Vertx vertx;
    private final int batchSize;
    private final Duration interval;
    private final boolean wakeOnCommit;
    private volatile PeriodicReactiveTask task;

    public OutboxRelay(CloudEventProducer producer, Pool pool, Vertx vertx,
            @ConfigProperty(name = "stagecraft.outbox.batch-size", defaultValue = "200") int batchSize,
            @ConfigProperty(name = "stagecraft.outbox.interval", defaultValue = "50ms") Duration interval,
            @ConfigProperty(name = "stagecraft.outbox.wake-on-commit", defaultValue = "true") boolean wakeOnCommit) {
        this.producer = producer;
        this.pool = pool;
        this.vertx = vertx;
        this.batchSize = batchSize;
        this.interval = interval;
        this.wakeOnCommit = wakeOnCommit;
    }

    /** Rows were committed just now: relay them without waiting for the next poll. Call only after the commit. */
    public void wake() {
        PeriodicReactiveTask running = task;
        if (wakeOnCommit && running != null) {
            running.runNow();
        }
    }

    void start(@Observes StartupEvent event) {
        task = PeriodicReactiveTask.start("outbox relay", vertx, interval, this::relay);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.stop();
        }
    }

    Uni<Void> relay() {
        return pool.withConnection(connection -> {
            // BEGIN goes out together with the locked read instead of a round trip ahead of it: a hop's record waits
            // for every round trip before its send. A connection runs its commands in the order given, so the read is
            // inside the transaction; a BEGIN that failed fails the pass before anything is sent.
            Uni<RowSet<Row>> begin = connection.query("BEGIN").execute();
            Uni<RowSet<Row>> batch = connection.preparedQuery(LOCKED_NEXT_BATCH).execute(Tuple.of(batchSize));
            return Uni.combine().all().unis(begin, batch).with((begun, rows) -> events(rows))
                    .chain(events -> publishAndDelete(connection, events))
                    .call(() -> connection.query("COMMIT").execute())
                    // never back to the pool inside a transaction (or holding the relay's lock)
                    .onFailure().call(() -> connection.query("ROLLBACK").execute().onFailure().recoverWithNull());
        });
    }

    private Uni<Void> publishAndDelete(SqlConnection connection, List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        CompletableFuture<?>[] sends = events.stream().map(producer::send).toArray(CompletableFuture[]::new);
        Long[] ids = events.stream().map(e -> e.id).toArray(Long[]::new);
        // Kafka completes on its own I/O thread; the pool's Mutiny API brings the delete back onto the connection's
        // context by itself.
        return Uni.createFrom().completionStage(CompletableFuture.allOf(sends))
                .chain(() -> connection.preparedQuery(DELETE_SENT).execute(Tuple.of(ids)))
                .invoke(rows -> LOG.debugf("relayed %d events", rows.rowCount()))
                .replaceWithVoid();
    }

    private static List<OutboxEvent> events(RowSet<Row> rows) {
        List<OutboxEvent> events = new ArrayList<>(rows.size());
        for (Row row : rows) {
            OutboxEvent event = new OutboxEvent();
            event.id = row.getLong("id");
            event.eventId = row.getString("event_id");
            event.topic = row.getString("topic");
            event.eventKey = row.getString("event_key");
            event.type = row.getString("type");
            event.payload = row.getString("payload");
            event.createdAt = row.getOffsetDateTime("created_at").toInstant();
            events.add(event);
        }
        return events;
    }
}
