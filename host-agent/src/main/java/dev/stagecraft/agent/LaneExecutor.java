package dev.stagecraft.agent;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the tasks of one key (a fleet's router) one after the other, in the order submitted, and the tasks of different
 * keys side by side, on at most {@code threads} threads of its own. A task waiting behind its key's running one holds
 * no thread. A failed task fails only its own future: the next task of its key runs as if it had succeeded. (The
 * services' {@code KeyedLanes} is the same idea on a Kafka channel; host-agent depends on no service module.)
 */
final class LaneExecutor implements AutoCloseable {
    private final ExecutorService threads;
    /** Per key, the last task submitted; absent once it has ended, so that idle keys are forgotten. */
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

    LaneExecutor(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        AtomicInteger number = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(threads, r -> new Thread(r, name + "-" + number.incrementAndGet()));
    }

    /** Runs {@code task} once every task submitted before it for {@code key} has ended; its future ends with it. */
    CompletableFuture<Void> submit(String key, Runnable task) {
        CompletableFuture<Void> next;
        synchronized (tails) {
            CompletableFuture<Void> before = tails.getOrDefault(key, CompletableFuture.completedFuture(null));
            next = before.handle((ignored, failure) -> null).thenRunAsync(task, threads);
            tails.put(key, next);
        }
        next.whenComplete((ignored, failure) -> {
            synchronized (tails) {
                tails.remove(key, next);
            }
        });
        return next;
    }

    /** Keys with a task running or waiting. */
    int busyKeys() {
        synchronized (tails) {
            return tails.size();
        }
    }

    /** Stops the threads; tasks still waiting never run (their futures fail), a running one is interrupted. */
    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
