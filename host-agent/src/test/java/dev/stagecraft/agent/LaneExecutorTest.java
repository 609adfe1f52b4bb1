package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Lanes by key: in order within a key, side by side across keys, a failure ends only its own task. No timing asserts. */
class LaneExecutorTest {
    private static final long WAIT_SECONDS = 10;

    @Test
    void aKeysTasksRunOneAfterTheOtherInTheOrderSubmitted() throws Exception {
        try (LaneExecutor lanes = new LaneExecutor("test", 4)) {
            List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger running = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                all.add(lanes.submit("a", () -> {
                    if (running.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    order.add(n);
                    running.decrementAndGet();
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(java.util.stream.IntStream.range(0, 200).boxed().toList(), order);
            assertEquals(0, overlaps.get(), "never two of one key at once, on 4 threads");
        }
    }

    @Test
    void anotherKeyRunsWhileOneKeysTaskIsHeldAndTheHeldKeysNextTaskWaits() throws Exception {
        try (LaneExecutor lanes = new LaneExecutor("test", 2)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch bRan = new CountDownLatch(1);
            CompletableFuture<Void> a1 = lanes.submit("a", () -> await(release));
            CompletableFuture<Void> a2 = lanes.submit("a", () -> {
            });
            CompletableFuture<Void> b1 = lanes.submit("b", bRan::countDown);
            // b runs to its end while a1 is held: were the lanes one queue, this would wait forever (up to the timeout)
            assertTrue(bRan.await(WAIT_SECONDS, TimeUnit.SECONDS), "b ran while a1 was held");
            b1.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertFalse(a1.isDone());
            assertFalse(a2.isDone(), "a2 waits for a1");
            release.countDown();
            a2.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(a1.isDone());
        }
    }

    @Test
    void aWaitingTaskHoldsNoThread() throws Exception {
        // one thread: a1 holds it; a2..a50 wait behind it holding none, so b still gets the thread once a1 ends
        try (LaneExecutor lanes = new LaneExecutor("test", 1)) {
            CountDownLatch release = new CountDownLatch(1);
            lanes.submit("a", () -> await(release));
            for (int i = 0; i < 50; i++) {
                lanes.submit("a", () -> {
                });
            }
            CompletableFuture<Void> b = lanes.submit("b", () -> {
            });
            release.countDown();
            b.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailedTaskFailsItsOwnFutureAndItsLaneGoesOn() throws Exception {
        try (LaneExecutor lanes = new LaneExecutor("test", 2)) {
            CompletableFuture<Void> failing = lanes.submit("a", () -> {
                throw new IllegalStateException("broken");
            });
            CompletableFuture<Void> next = lanes.submit("a", () -> {
            });
            next.get(WAIT_SECONDS, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> failing.get(WAIT_SECONDS,
                    TimeUnit.SECONDS));
            assertEquals("broken", e.getCause().getMessage());
        }
    }

    @Test
    void manyKeysFromManyThreadsKeepEachKeysOrder() throws Exception {
        try (LaneExecutor lanes = new LaneExecutor("test", 4)) {
            Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
            List<CompletableFuture<Void>> all = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> submitters = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                String key = "k" + k;
                seen.put(key, java.util.Collections.synchronizedList(new ArrayList<>()));
                // one submitter per key, as each fleet's commands come in order; the keys' submitters race
                Thread t = new Thread(() -> {
                    for (int i = 0; i < 100; i++) {
                        int n = i;
                        all.add(lanes.submit(key, () -> seen.get(key).add(n)));
                    }
                });
                submitters.add(t);
                t.start();
            }
            for (Thread t : submitters) {
                t.join();
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
            List<Integer> expected = java.util.stream.IntStream.range(0, 100).boxed().toList();
            seen.forEach((key, order) -> assertEquals(expected, order, key));
            awaitIdle(lanes);
        }
    }

    @Test
    void idleKeysAreForgottenAndAtLeastOneThreadIsNeeded() throws Exception {
        try (LaneExecutor lanes = new LaneExecutor("test", 1)) {
            lanes.submit("a", () -> {
            }).get(WAIT_SECONDS, TimeUnit.SECONDS);
            awaitIdle(lanes);
        }
        assertThrows(IllegalArgumentException.class, () -> new LaneExecutor("test", 0));
    }

    @Test
    void afterCloseATaskNeverRunsAndItsFutureSaysRejected() {
        LaneExecutor lanes = new LaneExecutor("test", 1);
        lanes.close();
        AtomicInteger ran = new AtomicInteger();
        CompletableFuture<Void> late = lanes.submit("a", ran::incrementAndGet);
        ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof java.util.concurrent.RejectedExecutionException, e.toString());
        assertEquals(0, ran.get());
    }

    /** The key is dropped just after its future completes, on the thread that completed it. */
    private static void awaitIdle(LaneExecutor lanes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (lanes.busyKeys() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, lanes.busyKeys());
    }

    private static void await(CountDownLatch latch) {
        Held.until(latch, WAIT_SECONDS);
    }
}
