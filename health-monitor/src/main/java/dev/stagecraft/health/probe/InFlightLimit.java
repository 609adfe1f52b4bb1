package dev.stagecraft.health.probe;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * At most {@code max} pieces of asynchronous work running at once; the others wait their turn, first come first
 * served, and a piece's work (its Uni) is only created when its turn comes. A step of 1,000 instances asks 2,000 probes
 * at once: sent all at once they blocked the event loop for seconds (each send does its set-up on the caller's
 * thread), and they outran the instances' hosts, so that most timed out and the step failed. Bounded, they finish in
 * a few seconds, and a probe's deadline only starts when its turn does.
 *
 * <p>Stack-safe: work that completes at once does not start the next on top of its own stack (a drain loop does).
 */
public final class InFlightLimit {
    private final int max;
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private final AtomicInteger draining = new AtomicInteger();
    private int running;

    public InFlightLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one at a time, not " + max);
        }
        this.max = max;
    }

    /** {@code work}'s item or failure, once it has had its turn. */
    public <T> Uni<T> run(Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                waiting.add(() -> {
                    Uni<T> started;
                    try {
                        started = work.get();
                    } catch (RuntimeException e) {
                        done();
                        emitter.fail(e);
                        return;
                    }
                    started.subscribe().with(item -> {
                        done();
                        emitter.complete(item);
                    }, failure -> {
                        done();
                        emitter.fail(failure);
                    });
                });
            }
            drain();
        });
    }

    /** How many are running now (for tests and metrics). */
    public synchronized int running() {
        return running;
    }

    private void done() {
        synchronized (this) {
            running--;
        }
        drain();
    }

    /** Starts waiting work while there is room; a call made while another drains leaves it to that one. */
    private void drain() {
        if (draining.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        while (missed != 0) {
            while (true) {
                Runnable next;
                synchronized (this) {
                    if (running >= max || waiting.isEmpty()) {
                        break;
                    }
                    running++;
                    next = waiting.poll();
                }
                next.run();
            }
            missed = draining.addAndGet(-missed);
        }
    }
}
