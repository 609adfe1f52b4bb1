package dev.stagecraft.agent;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns a keeper's records ({@link Supervisor}'s instances): adoption, commands, the sync loop and
 * the heartbeats run on it one at a time, so the records need no locks and every change is saved before it is
 * reported. ({@link RouterKeeper} uses one only as its timer: each router's work runs in its own lane.) Closing it
 * stops the keeping, never the processes kept: they run on for the next agent to adopt.
 */
final class OwnThread implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OwnThread.class);
    private final ScheduledExecutorService executor;

    OwnThread(String name) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, name));
    }

    /** Runs the task on the thread and waits for it; its failure is thrown here. */
    void runAndWait(Runnable task) {
        await(executor.submit(task));
    }

    /** Runs the task on the thread and waits for it; its failure is logged, so that the caller goes on. */
    void runGuardedAndWait(String what, Runnable task) {
        runAndWait(() -> guarded(what, task));
    }

    /** A loop: the task every {@code period} after the last run ended, the first one period from now. */
    void loop(String what, Duration period, Runnable task) {
        long millis = period.toMillis();
        executor.scheduleWithFixedDelay(() -> guarded(what, task), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** A beat: the task now and then at a fixed rate, so that a slow run does not move the next one. */
    void beat(String what, Duration period, Runnable task) {
        executor.scheduleAtFixedRate(() -> guarded(what, task), 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("{} failed: {}", what, e.toString(), e);
        }
    }

    private static void await(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
