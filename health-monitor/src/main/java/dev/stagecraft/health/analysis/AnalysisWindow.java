package dev.stagecraft.health.analysis;

import java.time.Duration;
import java.util.Optional;

import dev.stagecraft.contracts.AnalysisRequest;
import dev.stagecraft.health.analysis.AnalysisJudge.Outcome;
import dev.stagecraft.health.analysis.AnalysisJudge.Terms;
import dev.stagecraft.health.analysis.SyntheticTraffic.Sender;
import dev.stagecraft.health.provider.MetricProvider;
import dev.stagecraft.health.provider.MetricProvider.PoolWatch;
import dev.stagecraft.health.provider.PoolStats;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

/**
 * One analysis window: marks the beginning with the provider, sends synthetic traffic if asked, looks at
 * the pool every interval (a breach ends it early) and judges it at the end. Waits on Vert.x timers, so
 * any number of windows run side by side without holding a thread. The outcome may be emitted on any thread.
 */
public final class AnalysisWindow {
    private static final Logger LOG = Logger.getLogger(AnalysisWindow.class);

    private final AnalysisRequest request;
    private final Duration window;
    private final Duration interval;
    private final String pool;
    private final MetricProvider provider;
    private final SyntheticTraffic synthetic;
    private final Vertx vertx;

    public AnalysisWindow(AnalysisRequest request, Duration interval, MetricProvider provider,
            SyntheticTraffic synthetic, Vertx vertx) {
        this.request = request;
        this.window = Duration.ofMillis(request.windowMs());
        this.interval = interval;
        this.pool = AnalysisRequests.poolName(request);
        this.provider = provider;
        this.synthetic = synthetic;
        this.vertx = vertx;
    }

    public Uni<Outcome> run() {
        Uni<PoolWatch> baseline = request.baseline().isEmpty() ? Uni.createFrom().nullItem()
                : provider.begin(request.baseline());
        return provider.begin(request.pool())
                .chain(poolWatch -> baseline.chain(baselineWatch -> Uni.createFrom()
                        .<Outcome>emitter(emitter -> new Run(emitter, poolWatch, baselineWatch).lookAt(1))));
    }

    /** The looks of one window, each scheduled once the one before has been judged: they never overlap. */
    private final class Run {
        private final UniEmitter<? super Outcome> emitter;
        private final PoolWatch poolWatch;
        private final PoolWatch baselineWatch;
        private final long start = System.nanoTime();
        private final long end = start + window.toNanos();
        private final Sender sender;
        private volatile long timer = -1;

        Run(UniEmitter<? super Outcome> emitter, PoolWatch poolWatch, PoolWatch baselineWatch) {
            this.emitter = emitter;
            this.poolWatch = poolWatch;
            this.baselineWatch = baselineWatch;
            this.sender = request.syntheticRequests() > 0
                    ? synthetic.start(request.pool(), request.syntheticRequests(), window) : null;
            emitter.onTermination(this::halt);
        }

        void lookAt(int n) {
            long due = Math.min(start + n * interval.toNanos(), end);
            boolean last = due == end;
            long delayMs = Math.max(1, (due - System.nanoTime()) / 1_000_000);
            timer = vertx.setTimer(delayMs, id -> measure().subscribe().with(
                    look -> judge(n, last, look),
                    failure -> unmeasured(n, last, failure)));
        }

        /** Both pools at once: the look at the end is late by the slower of the two, not by their sum. */
        private Uni<PoolStats[]> measure() {
            Uni<PoolStats> baseline = baselineWatch == null ? Uni.createFrom().nullItem() : baselineWatch.sinceBegin();
            return Uni.combine().all().unis(poolWatch.sinceBegin(), baseline).with((p, b) -> new PoolStats[] { p, b });
        }

        private void judge(int n, boolean last, PoolStats[] look) {
            try {
                if (last) {
                    emitter.complete(AnalysisJudge.atEnd(terms(), look[0], look[1]));
                    return;
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                Optional<Outcome> early = AnalysisJudge.early(terms(), look[0], look[1], elapsed);
                if (early.isPresent()) {
                    emitter.complete(early.get());
                } else {
                    lookAt(n + 1);
                }
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        }

        /** A look that could not be taken: during the window the next one may; at the end it is no pass. */
        private void unmeasured(int n, boolean last, Throwable failure) {
            if (last) {
                emitter.complete(AnalysisJudge.unmeasured(terms(), failure.getMessage()));
            } else {
                LOG.warnf("analysis of deployment %s step %d: look %d failed, trying again at the next: %s",
                        request.deploymentId(), request.step(), n, failure.getMessage());
                lookAt(n + 1);
            }
        }

        private Terms terms() {
            return new Terms(request.thresholds(), pool, window, sender == null ? null : sender.note());
        }

        private void halt() {
            if (sender != null) {
                sender.stop();
            }
            vertx.cancelTimer(timer);
        }
    }
}
