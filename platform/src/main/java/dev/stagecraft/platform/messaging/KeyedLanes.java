package dev.stagecraft.platform.messaging;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Runs work of different keys side by side and work of one key one after the other, in the order submitted. A
 * record of one deployment never waits for another deployment's step; a deployment's own records keep their order.
 *
 * <p>At most {@code capacity} pieces of work are admitted and unfinished at once: {@link #submit} answers once its
 * work is admitted (queued in its lane), and a caller that submits only after the previous admission (a Kafka
 * channel, which hands over one record at a time) is held back, so that a flood of records cannot pile up in memory.
 * Pure and thread-safe: no framework, no threads of its own (work runs on whatever thread submits or finishes).
 */
public final class KeyedLanes {
    private final int capacity;
    /** Per key, the work queued behind the running one (the running one is not in it); absent when the key is idle. */
    private final Map<String, Queue<Runnable>> lanes = new HashMap<>();
    /** Submissions waiting for room, oldest first. */
    private final Queue<Runnable> waitingForRoom = new ArrayDeque<>();
    private int unfinished;

    public KeyedLanes(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Queues {@code work} behind the unfinished work of {@code key}. The outer stage completes once the work is
     * admitted; the inner one with the work's own outcome. A failure of one piece of work does not stop its lane.
     */
    public CompletionStage<CompletionStage<Void>> submit(String key, Supplier<? extends CompletionStage<?>> work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<CompletionStage<Void>> admitted = new CompletableFuture<>();
        Runnable admit = () -> {
            enqueue(key, () -> start(key, work, done));
            admitted.complete(done);
        };
        boolean now;
        synchronized (this) {
            now = unfinished < capacity && waitingForRoom.isEmpty();
            if (now) {
                unfinished++;
            } else {
                waitingForRoom.add(admit);
            }
        }
        if (now) {
            admit.run();
        }
        return admitted;
    }

    /** Work admitted and not yet finished, running or queued behind its key. */
    public synchronized int unfinished() {
        return unfinished;
    }

    /** Keys with work running or queued. */
    public synchronized int busyKeys() {
        return lanes.size();
    }

    private void enqueue(String key, Runnable task) {
        boolean runNow;
        synchronized (this) {
            Queue<Runnable> lane = lanes.get(key);
            runNow = lane == null;
            if (runNow) {
                lanes.put(key, new ArrayDeque<>());
            } else {
                lane.add(task);
            }
        }
        if (runNow) {
            task.run();
        }
    }

    private void start(String key, Supplier<? extends CompletionStage<?>> work, CompletableFuture<Void> done) {
        CompletionStage<?> running;
        try {
            running = work.get();
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        running.whenComplete((ignored, failure) -> {
            finished(key);
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        });
    }

    /** The key's running work ended: its next one starts, and a submission waiting for room is admitted. */
    private void finished(String key) {
        Runnable next;
        Runnable admit;
        synchronized (this) {
            Queue<Runnable> lane = lanes.get(key);
            next = lane.poll();
            if (next == null) {
                lanes.remove(key);
            }
            admit = waitingForRoom.poll();
            if (admit == null) {
                unfinished--;
            } // else the finished work's place goes straight to the waiting one
        }
        if (next != null) {
            next.run();
        }
        if (admit != null) {
            admit.run();
        }
    }
}
