package dev.stagecraft.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class InFlightLimitTest {
    @Test
    void startsAtMostMaxAndTheNextWhenOneEnds() {
        InFlightLimit limit = new InFlightLimit(2);
        List<CompletableFuture<String>> work = new ArrayList<>();
        List<CompletableFuture<String>> answers = new ArrayList<>();
        AtomicInteger started = new AtomicInteger();
        for (int n = 0; n < 5; n++) {
            CompletableFuture<String> piece = new CompletableFuture<>();
            work.add(piece);
            answers.add(limit.run(() -> {
                started.incrementAndGet();
                return Uni.createFrom().completionStage(piece);
            }).subscribeAsCompletionStage());
        }
        assertEquals(2, started.get(), "only two at once");
        assertEquals(2, limit.running());
        work.get(1).complete("b");
        assertEquals("b", answers.get(1).join());
        assertEquals(3, started.get(), "the third starts when one ends");
        work.get(0).completeExceptionally(new IllegalStateException("no"));
        assertThrows(Exception.class, () -> answers.get(0).join());
        assertEquals(4, started.get(), "a failure frees its place too");
        work.get(2).complete("c");
        work.get(3).complete("d");
        work.get(4).complete("e");
        assertEquals(List.of("c", "d", "e"), answers.subList(2, 5).stream().map(CompletableFuture::join).toList());
        assertEquals(0, limit.running());
    }

    @Test
    void tenThousandPiecesThatEndAtOnceDoNotNestOnTheStack() {
        InFlightLimit limit = new InFlightLimit(4);
        List<Uni<Integer>> all = new ArrayList<>();
        for (int n = 0; n < 10_000; n++) {
            int i = n;
            all.add(limit.run(() -> Uni.createFrom().item(i)));
        }
        List<Integer> done = Uni.join().all(all).andFailFast().await().atMost(Duration.ofSeconds(30));
        assertEquals(10_000, done.size());
        assertEquals(9_999, done.get(9_999));
    }

    @Test
    void workThatThrowsFailsItsOwnUniOnly() {
        InFlightLimit limit = new InFlightLimit(1);
        Uni<String> bad = limit.run(() -> {
            throw new IllegalArgumentException("bad");
        });
        assertThrows(IllegalArgumentException.class, () -> bad.await().atMost(Duration.ofSeconds(5)));
        assertEquals("ok", limit.run(() -> Uni.createFrom().item("ok")).await().atMost(Duration.ofSeconds(5)));
    }
}
