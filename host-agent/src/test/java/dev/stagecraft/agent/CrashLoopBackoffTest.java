package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrashLoopBackoffTest {

    private static final CrashLoopBackoff KUBELET = new CrashLoopBackoff(Duration.ofSeconds(10), Duration.ofMinutes(5),
            Duration.ofMinutes(10));
    private static final CrashLoopBackoff TESTS = new CrashLoopBackoff(Duration.ofMillis(200), Duration.ofSeconds(2),
            Duration.ofSeconds(3));

    @ParameterizedTest(name = "failure {0} → {1} s")
    @CsvSource({"1, 10", "2, 20", "3, 40", "4, 80", "5, 160", "6, 300", "7, 300", "100, 300", "2147483647, 300"})
    void kubeletDefaultsDoubleFromTenSecondsToFiveMinutes(int failures, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), KUBELET.delayAfter(failures));
    }

    @ParameterizedTest(name = "failure {0} → {1} ms")
    @CsvSource({"1, 200", "2, 400", "3, 800", "4, 1600", "5, 2000", "6, 2000"})
    void smallValuesDoubleTheSameWay(int failures, long millis) {
        assertEquals(Duration.ofMillis(millis), TESTS.delayAfter(failures));
    }

    @ParameterizedTest(name = "{0} failures, up {1} ms → {2}")
    @CsvSource({
            "0, 0, 1",          // first crash
            "3, 0, 4",          // never answered: keeps growing
            "3, 2999, 4",       // up, but not long enough
            "3, 3000, 1",       // up for resetAfter: starts again from one
            "9, 60000, 1"})
    void stayingUpForResetAfterStartsTheCountAgain(int before, long upMillis, int after) {
        assertEquals(after, TESTS.failuresAfterExit(before, Duration.ofMillis(upMillis)));
    }

    @ParameterizedTest(name = "initial {0} ms, max {1} ms")
    @CsvSource({"0, 1000", "-5, 1000", "2000, 1000"})
    void refusesBackoffsThatCannotGrow(long initial, long max) {
        assertThrows(IllegalArgumentException.class,
                () -> new CrashLoopBackoff(Duration.ofMillis(initial), Duration.ofMillis(max), Duration.ofSeconds(1)));
    }
}
