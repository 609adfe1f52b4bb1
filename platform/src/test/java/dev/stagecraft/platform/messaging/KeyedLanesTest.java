package dev.stagecraft.platform.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class KeyedLanesTest {

    /** Work the test finishes by hand, recording when it started. */
    static final class Steps {
        final List<String> started = new ArrayList<>();
        final Map<String, CompletableFuture<Void>> running = new HashMap<>();

        synchronized CompletionStage<Void> start(String name) {
            started.add(name);
            CompletableFuture<Void> f = new CompletableFuture<>();
            running.put(name, f);
            return f;
        }

        void finish(String name) {
            CompletableFuture<Void> f;
            synchronized (this) {
                f = running.get(name);
            }
            f.complete(null);
        }

        synchronized List<String> started() {
            return List.copyOf(started);
        }
    }

    @Test
    void differentKeysRunSideBySideAndOneKeyRunsInOrder() {
        KeyedLanes lanes = new KeyedLanes(10);
        Steps steps = new Steps();
        CompletionStage<Void> a1 = submit(lanes, "a", steps, "a1");
        submit(lanes, "a", steps, "a2");
        submit(lanes, "b", steps, "b1");
        submit(lanes, "a", steps, "a3");
        assertEquals(List.of("a1", "b1"), steps.started(), "b does not wait for a; a2 waits for a1");
        assertEquals(4, lanes.unfinished());
        assertEquals(2, lanes.busyKeys());

        steps.finish("b1");
        assertEquals(List.of("a1", "b1"), steps.started());
        steps.finish("a1");
        assertTrue(a1.toCompletableFuture().isDone());
        assertEquals(List.of("a1", "b1", "a2"), steps.started());
        steps.finish("a2");
        assertEquals(List.of("a1", "b1", "a2", "a3"), steps.started());
        steps.finish("a3");
        assertEquals(0, lanes.unfinished());
        assertEquals(0, lanes.busyKeys(), "idle keys are forgotten");
    }

    @Test
    void aSubmissionBeyondCapacityIsAdmittedOnlyWhenWorkEnds() {
        KeyedLanes lanes = new KeyedLanes(2);
        Steps steps = new Steps();
        assertTrue(lanes.submit("a", () -> steps.start("a1")).toCompletableFuture().isDone());
        assertTrue(lanes.submit("a", () -> steps.start("a2")).toCompletableFuture().isDone());
        CompletionStage<CompletionStage<Void>> third = lanes.submit("c", () -> steps.start("c1"));
        assertFalse(third.toCompletableFuture().isDone(), "held back: two unfinished already");
        assertEquals(List.of("a1"), steps.started());

        steps.finish("a1"); // a2 starts in its lane, and c1 takes a1's place
        assertTrue(third.toCompletableFuture().isDone());
        assertEquals(List.of("a1", "a2", "c1"), steps.started());
        assertEquals(2, lanes.unfinished());
    }

    @Test
    void aFailureEndsOnlyItsOwnWorkAndTheLaneGoesOn() throws Exception {
        KeyedLanes lanes = new KeyedLanes(4);
        Steps steps = new Steps();
        CompletionStage<Void> failing = lanes.<Void>submit("a", () -> {
            throw new IllegalStateException("broken");
        }).toCompletableFuture().get();
        CompletionStage<Void> next = admitted(lanes.submit("a", () -> steps.start("a2")));
        ExecutionException e = assertThrows(ExecutionException.class, () -> failing.toCompletableFuture().get());
        assertEquals("broken", e.getCause().getMessage());
        assertEquals(List.of("a2"), steps.started());
        steps.finish("a2");
        next.toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertEquals(0, lanes.unfinished());
    }

    @Test
    void manyThreadsFinishingWorkNeverBreakOneKeysOrderNorRunTwoOfItAtOnce() throws Exception {
        KeyedLanes lanes = new KeyedLanes(8);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int keys = 5;
        int perKey = 200;
        Map<String, List<Integer>> seen = new HashMap<>();
        Map<String, AtomicInteger> inFlight = new HashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        for (int k = 0; k < keys; k++) {
            seen.put("k" + k, new ArrayList<>());
            inFlight.put("k" + k, new AtomicInteger());
        }
        List<CompletionStage<Void>> all = new ArrayList<>();
        try {
            for (int i = 0; i < perKey; i++) {
                for (int k = 0; k < keys; k++) {
                    String key = "k" + k;
                    int n = i;
                    // submitted one after the other, as a channel does: the next only once this one is admitted
                    all.add(lanes.submit(key, () -> CompletableFuture.runAsync(() -> {
                        if (inFlight.get(key).incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                        synchronized (seen) {
                            seen.get(key).add(n);
                        }
                        inFlight.get(key).decrementAndGet();
                    }, pool)).toCompletableFuture().get(5, TimeUnit.SECONDS));
                }
            }
            for (CompletionStage<Void> done : all) {
                done.toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, overlaps.get());
        List<Integer> expected = java.util.stream.IntStream.range(0, perKey).boxed().toList();
        seen.forEach((key, order) -> assertEquals(expected, order, key));
        assertEquals(0, lanes.unfinished());
    }

    @Test
    void aRecordWithoutAKeyKeepsItsPartitionsOrder() {
        assertEquals("key:dep-1", ConcurrentByKey.laneOf(new ConsumerRecord<>("t", 2, 7L, "dep-1", "v")));
        assertEquals("partition:t-2", ConcurrentByKey.laneOf(new ConsumerRecord<>("t", 2, 7L, null, "v")));
        assertThrows(IllegalArgumentException.class, () -> new KeyedLanes(0));
    }

    private static CompletionStage<Void> submit(KeyedLanes lanes, String key, Steps steps, String name) {
        return admitted(lanes.submit(key, () -> steps.start(name)));
    }

    private static CompletionStage<Void> admitted(CompletionStage<CompletionStage<Void>> submitted) {
        CompletableFuture<CompletionStage<Void>> f = submitted.toCompletableFuture();
        assertTrue(f.isDone(), "admitted at once");
        return f.join();
    }
}
