package dev.stagecraft.platform.reactive;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

/**
 * Runs reactive database work on a Vert.x timer: one pass at a time (a pass still running when the
 * timer fires again is not doubled), each on a fresh duplicated context marked safe, which is what
 * Hibernate Reactive sessions require. For periods under the second that {@code @Scheduled} offers.
 */
public final class PeriodicReactiveTask {
    private static final Logger LOG = Logger.getLogger(PeriodicReactiveTask.class);

    private final String name;
    private final Vertx vertx;
    private final Supplier<Uni<?>> pass;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** Asked to run while a pass was running: run once more as soon as it ends. */
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopping;
    private long timer = -1;

    private PeriodicReactiveTask(String name, Vertx vertx, Supplier<Uni<?>> pass) {
        this.name = name;
        this.vertx = vertx;
        this.pass = pass;
    }

    /** Starts running {@code pass} every {@code interval}; a failed pass is logged and the next one tries again. */
    public static PeriodicReactiveTask start(String name, Vertx vertx, Duration interval, Supplier<Uni<?>> pass) {
        PeriodicReactiveTask task = new PeriodicReactiveTask(name, vertx, pass);
        task.timer = vertx.setPeriodic(interval.toMillis(), id -> task.tick());
        return task;
    }

    /**
     * Runs a pass now rather than at the next tick; if one is running, another follows it at once (the running one
     * may have read before what the caller wants seen). Any thread.
     */
    public void runNow() {
        again.set(true);
        tick();
    }

    public void stop() {
        stopping = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void tick() {
        if (stopping || !busy.compareAndSet(false, true)) {
            return;
        }
        again.set(false);
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> pass.get().subscribe().with(done -> passEnded(), failure -> {
            if (!stopping) {
                LOG.warnf("%s will retry: %s", name, failure.toString());
            }
            passEnded();
        }));
    }

    private void passEnded() {
        busy.set(false);
        if (again.get()) {
            tick();
        }
    }
}
