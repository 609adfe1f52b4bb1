package dev.stagecraft.release.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.stagecraft.platform.reactive.PeriodicReactiveTask;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.hibernate.LockMode;
import org.jboss.logging.Logger;

/**
 * Sends due webhook deliveries: every {@code stagecraft.webhooks.interval} it takes up to
 * {@code batch-size} PENDING rows whose time has come, POSTs them side by side, and records each outcome
 * (DELIVERED, a retry time, or FAILED) in the transaction that picked them.
 *
 * <p>The pick holds the rows' locks ({@code FOR UPDATE SKIP LOCKED}) for the whole send instead of
 * marking them IN_FLIGHT with a lease. The lock is what keeps a delivery in flight from being picked
 * again, by this replica's next pass or by another replica, and PostgreSQL drops it by itself when a
 * process dies, so a crashed send is simply due again: no lease to size against the HTTP timeout, no
 * sweep for expired leases, no state a crash can leave behind. The price is one pooled connection held
 * for at most the HTTP timeout per pass, which is bounded because one pass runs at a time.
 *
 * <p>The guarantee is at least once, not exactly once: if the process dies, or the commit fails, after
 * a receiver answered 2xx, the delivery is sent again under the same {@code X-Stagecraft-Delivery} id.
 * Within one healthy process a delivery is marked DELIVERED in the same transaction that sent it, so it
 * is never sent again after a success; receivers that must act once deduplicate on the delivery id.
 *
 * <p>It runs on a Vert.x timer, not {@code @Scheduled} (one second at best), because the first attempt
 * and the short early retries should not wait a second each.
 */
@ApplicationScoped
public class WebhookDispatcher {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    /**
     * HQL, locked with SKIP LOCKED so that replicas share the due rows. Not a native query: Hibernate Reactive adds
     * an entry to its query plan cache for every native select that no later lookup hits (OutboxRelay says more),
     * and this runs five times a second.
     */
    private static final String DUE = "from WebhookDelivery where status = :status and nextAttemptAt <= :now"
            + " order by nextAttemptAt";
    static final String METRIC = "stagecraft_webhook_deliveries_total";

    private final WebhookClient client;
    private final MeterRegistry metrics;
    private final Vertx vertx;
    private final RetryPolicy policy;
    private final int batchSize;
    private final Duration interval;
    private PeriodicReactiveTask task;

    public WebhookDispatcher(WebhookClient client, MeterRegistry metrics, Vertx vertx, WebhookConfig config) {
        this.client = client;
        this.metrics = metrics;
        this.vertx = vertx;
        this.policy = RetryPolicy.of(config);
        this.batchSize = config.batchSize();
        this.interval = config.interval();
    }

    void start(@Observes StartupEvent event) {
        for (String outcome : List.of("delivered", "retried", "failed")) {
            metrics.counter(METRIC, "outcome", outcome); // shown at 0 before the first delivery
        }
        task = PeriodicReactiveTask.start("webhook dispatcher", vertx, interval, this::dispatch);
    }

    void stop(@Observes ShutdownEvent event) {
        if (task != null) {
            task.stop();
        }
    }

    Uni<List<String>> dispatch() {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createSelectionQuery(DUE, WebhookDelivery.class)
                        .setParameter("status", DeliveryStatus.PENDING)
                        .setParameter("now", Instant.now())
                        .setMaxResults(batchSize)
                        .setLockMode(LockMode.UPGRADE_SKIPLOCKED)
                        .getResultList())
                .chain(this::sendAll))
                // Counted after the commit: a rolled-back pass is sent again and counted then.
                .invoke(outcomes -> outcomes.forEach(o -> metrics.counter(METRIC, "outcome", o).increment()));
    }

    private Uni<List<String>> sendAll(List<WebhookDelivery> due) {
        if (due.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Context context = Vertx.currentContext();
        List<String> subscriptionIds = due.stream().map(d -> d.subscriptionId).distinct().toList();
        return WebhookSubscription.<WebhookSubscription>list("id in ?1", subscriptionIds).chain(found -> {
            Map<String, WebhookSubscription> byId = found.stream()
                    .collect(Collectors.toMap(s -> s.id, Function.identity()));
            // The foreign key and our row locks keep every subscription here; filter anyway rather than NPE.
            List<WebhookDelivery> sendable = due.stream().filter(d -> byId.containsKey(d.subscriptionId)).toList();
            if (sendable.isEmpty()) {
                return Uni.createFrom().item(List.<String>of());
            }
            List<Uni<AttemptResult>> sends = sendable.stream()
                    .map(d -> client.post(d, byId.get(d.subscriptionId))).toList();
            return Uni.join().all(sends).andFailFast()
                    // The HTTP client completes on its own threads; the reactive session lives on this context.
                    .emitOn(command -> context.runOnContext(ignored -> command.run()))
                    .chain(results -> record(sendable, results));
        });
    }

    private Uni<List<String>> record(List<WebhookDelivery> sent, List<AttemptResult> results) {
        Instant now = Instant.now();
        List<String> outcomes = new ArrayList<>(sent.size());
        List<WebhookAttempt> history = new ArrayList<>(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            WebhookDelivery delivery = sent.get(i);
            AttemptResult result = results.get(i);
            String outcome = delivery.record(result, policy, now);
            outcomes.add(outcome);
            history.add(WebhookAttempt.of(delivery, result, now));
            log(delivery, result, outcome);
        }
        return WebhookAttempt.persist(history).replaceWith(outcomes);
    }

    /** Ids and status only: the URL may carry a token of the receiver's, and the secret is never logged. */
    private static void log(WebhookDelivery d, AttemptResult result, String outcome) {
        String what = result.statusCode() != null ? "HTTP " + result.statusCode() : result.error();
        if ("failed".equals(outcome)) {
            LOG.warnf("webhook delivery %s (%s, event %s, subscription %s) gave up after %d attempts; last: %s", d.id,
                    d.eventType, d.eventId, d.subscriptionId, d.attempts, what);
        } else {
            LOG.debugf("webhook delivery %s attempt %d: %s -> %s", d.id, d.attempts, what, outcome);
        }
    }
}
