package dev.stagecraft.health.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.ProbeMeasurement;

/** A probe's deadline against a clock the test moves: the monitor's own freezes are not the instance's time. */
class ProbeRunTest {
    private static final Duration DEADLINE = Duration.ofSeconds(8);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration INTERVAL = Duration.ofMillis(500);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ProbeRun run = new ProbeRun("i-1", "127.0.0.1:1", ProbeKind.READINESS, DEADLINE, clock::get);

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void aTimeoutThatTookItsTimeFailsTheAttempt() {
        long sent = run.now();
        advance(TIMEOUT.plusMillis(300));
        run.noAnswer("no answer within 2000ms", sent, TIMEOUT);
        ProbeMeasurement m = run.measurement(false);
        assertEquals("no answer within 2000ms", m.error());
        advance(Duration.ofSeconds(6));
        assertFalse(run.hasTimeFor(INTERVAL), "8 s deadline, 8.3 s gone: no room for another attempt");
    }

    @Test
    void aFreezeLongerThanTheDeadlineGivesTheFrozenTimeBackAndIsNotHeldAgainstTheInstance() {
        long sent = run.now();
        advance(Duration.ofSeconds(13)); // SIGSTOP for 13 s while the attempt was in flight
        run.noAnswer("no answer within 2000ms", sent, TIMEOUT);
        assertTrue(run.hasTimeFor(INTERVAL), "11 s of freeze credited: 13 - 11 = 2 s of 8 used");
        assertTrue(run.measurement(false).error().startsWith("not judged: the monitor itself was frozen for 11000ms"),
                run.measurement(false).error());
        run.answered(200);
        ProbeMeasurement m = run.measurement(true);
        assertTrue(run.passed(1));
        assertEquals(2, m.attempts());
        assertEquals(200, m.lastStatus());
    }

    @Test
    void aPauseThatOverranByAFreezeIsCreditedToo() {
        advance(Duration.ofSeconds(6));
        long paused = run.now();
        advance(INTERVAL.plusSeconds(5));
        run.pausedSince(paused, INTERVAL);
        assertTrue(run.hasTimeFor(INTERVAL), "11.5 s gone, 5 s credited");
    }

    @Test
    void lateTimersWithinTheSlackAreNotAFreeze() {
        long paused = run.now();
        advance(INTERVAL.plus(ProbeRun.FREEZE_SLACK));
        run.pausedSince(paused, INTERVAL);
        advance(Duration.ofSeconds(6));
        assertFalse(run.hasTimeFor(INTERVAL), "7.5 s gone and nothing credited");
    }

    @Test
    void creditIsCappedAtOneDeadlineSoThatEveryProbeEnds() {
        for (int i = 0; i < 5; i++) {
            long sent = run.now();
            advance(Duration.ofSeconds(30));
            run.noAnswer("no answer within 2000ms", sent, TIMEOUT);
        }
        assertFalse(run.hasTimeFor(INTERVAL), "150 s gone, at most 8 s credited");
    }
}
