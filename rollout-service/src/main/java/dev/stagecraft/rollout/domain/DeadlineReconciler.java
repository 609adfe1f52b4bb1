package dev.stagecraft.rollout.domain;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.stagecraft.platform.messaging.CatchUp;
import dev.stagecraft.platform.outbox.OutboxRelay;
import dev.stagecraft.rollout.persistence.SagaEntity;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Sweeps for sagas whose current step has outlived its deadline — after a crash, a lost answer or
 * a hung instance — and lets the saga decide: first it asks again, then forward it rolls back, and
 * rolling back it re-sends and then gives up. It runs from start-up on, so a restarted service leaves
 * no zombies, but judges nothing until the saga inputs have been read up to where they ended when the
 * consumer was given its partitions ({@link CatchUp}): an answer given while the service was down is
 * not missing, only unread.
 *
 * <p>Metrics: {@code stagecraft_saga_deadlines_missed_total} counts the missed deadlines handled, and
 * {@code stagecraft_sagas_overdue} is how many running sagas were past their deadline at the last sweep (it stays
 * above 0 only when sagas are stuck: not caught up, or their handling keeps failing).
 */
@ApplicationScoped
public class DeadlineReconciler {
    private static final Logger LOG = Logger.getLogger(DeadlineReconciler.class);

    private final SagaOrchestrator sagas;
    private final CatchUp catchUp;
    private final OutboxRelay relay;
    private final MeterRegistry metrics;
    private final AtomicInteger overdue = new AtomicInteger();

    public DeadlineReconciler(SagaOrchestrator sagas, CatchUp catchUp, OutboxRelay relay, MeterRegistry metrics) {
        this.sagas = sagas;
        this.catchUp = catchUp;
        this.relay = relay;
        this.metrics = metrics;
        metrics.gauge("stagecraft_sagas_overdue", overdue);
        metrics.counter("stagecraft_saga_deadlines_missed_total"); // shown at 0 before the first miss
    }

    @Scheduled(every = "${stagecraft.rollout.reconcile-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        if (!catchUp.caughtUp()) {
            // After a start or a rebalance the answers a deadline would call missing may still be on the topics.
            LOG.debug("deadline sweep waits: the saga inputs are not caught up yet");
            return Panache.withSession(() -> SagaEntity.count("phase <> 'DONE' and deadline < ?1", Instant.now()))
                    .invoke(n -> overdue.set(n.intValue())).onFailure().recoverWithNull().replaceWithVoid();
        }
        return Panache.withSession(() -> SagaEntity.<SagaEntity>find("phase <> 'DONE' and deadline < ?1",
                Instant.now()).page(0, 50).list())
                .invoke(found -> overdue.set(found.size()))
                .map(found -> found.stream().map(s -> s.deploymentId).toList())
                .chain(this::expireEach)
                .onFailure().invoke(t -> LOG.warnf("deadline sweep failed, will retry: %s", t.toString()))
                .onFailure().recoverWithNull();
    }

    private Uni<Void> expireEach(List<String> ids) {
        return Multi.createFrom().iterable(ids)
                .onItem().transformToUniAndConcatenate(id -> Panache.withTransaction(() -> sagas.apply(id,
                        "deadline passed", saga -> saga.onDeadlineMissed()))
                        .invoke(relay::wake)
                        .invoke(() -> metrics.counter("stagecraft_saga_deadlines_missed_total").increment())
                        .onFailure().invoke(t -> LOG.warnf("saga %s: deadline handling failed (a concurrent update?),"
                                + " next sweep retries: %s", id, t.toString()))
                        .onFailure().recoverWithNull())
                .collect().asList().replaceWithVoid();
    }
}
