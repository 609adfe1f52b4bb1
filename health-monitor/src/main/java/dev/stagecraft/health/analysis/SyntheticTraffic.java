package dev.stagecraft.health.analysis;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.stagecraft.contracts.AnalysisRequest.Target;
import dev.stagecraft.health.http.Http;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Sends a pool its own traffic when nobody else does yet (blue/green before the switch): {@code GET} requests
 * round-robin over the pool's instances, paced evenly over the first part of the window so that the last
 * answers are in the metrics before it ends. Bounded in count ({@code max-requests}), in time (the spread of
 * the window) and in requests waiting for an answer ({@code max-in-flight}). Paced by a Vert.x timer; no
 * thread waits for an answer.
 */
@ApplicationScoped
public class SyntheticTraffic {
    private static final long MIN_TICK_MS = 10;
    private static final long MAX_TICK_MS = 250;

    private final AnalysisConfig.Synthetic config;
    private final Vertx vertx;
    private final HttpClient client;

    @Inject
    public SyntheticTraffic(AnalysisConfig config, Vertx vertx) {
        this(config.synthetic(), vertx);
    }

    SyntheticTraffic(AnalysisConfig.Synthetic config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.client = Http.client(config.timeout());
    }

    /** Starts sending {@code requested} requests (at most {@code max-requests}) over the window's spread. */
    public Sender start(List<Target> pool, int requested, Duration window) {
        Sender sender = new Sender(pool, Math.min(requested, config.maxRequests()),
                (long) (window.toNanos() * Math.min(1.0, Math.max(0.0, config.spread()))));
        sender.begin();
        return sender;
    }

    /** One analysis' synthetic traffic. */
    public final class Sender {
        private final List<URI> targets;
        private final int total;
        private final long spanNanos;
        private final long startedAt = System.nanoTime();
        private final AtomicInteger sent = new AtomicInteger();
        private final AtomicInteger unanswered = new AtomicInteger();
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile boolean stopped;
        private volatile long timer = -1;

        private Sender(List<Target> pool, int total, long spanNanos) {
            this.targets = pool.stream().map(t -> URI.create("http://" + t.address() + config.path())).toList();
            this.total = targets.isEmpty() ? 0 : total;
            this.spanNanos = Math.max(1, spanNanos);
        }

        private void begin() {
            if (total <= 0) {
                return;
            }
            long tick = Math.max(MIN_TICK_MS, Math.min(MAX_TICK_MS, spanNanos / 1_000_000 / total));
            timer = vertx.setPeriodic(tick, id -> tick());
            tick();
        }

        /**
         * Sends what is due by now, the first at once, the last near the spread's end. Synchronized: the first
         * tick runs on the caller's thread, the others on the timer's.
         */
        private synchronized void tick() {
            long elapsed = System.nanoTime() - startedAt;
            int due = (int) Math.min(total, (long) Math.floor((double) total * elapsed / spanNanos) + 1);
            while (!stopped && sent.get() < due && inFlight.get() < config.maxInFlight()) {
                send(targets.get(sent.getAndIncrement() % targets.size()));
            }
            if (sent.get() >= total || elapsed >= spanNanos) {
                stop();
            }
        }

        private void send(URI uri) {
            inFlight.incrementAndGet();
            Http.getStatus(client, uri, config.timeout()).subscribe().with(
                    status -> inFlight.decrementAndGet(),
                    failure -> {
                        unanswered.incrementAndGet();
                        inFlight.decrementAndGet();
                    });
        }

        /** No more requests from now on; those already sent may still be answered. */
        public void stop() {
            stopped = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }

        public int sent() {
            return sent.get();
        }

        /** For the verdict's reason: the traffic judged was this service's own. */
        public String note() {
            int lost = unanswered.get();
            return "the traffic was synthetic: health-monitor sent " + Words.requests(sent.get()) + " (GET "
                    + config.path() + ")" + (lost > 0 ? ", " + lost + " without an answer" : "");
        }
    }
}
