package dev.stagecraft.release.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.stagecraft.release.insights.DoraCalculator.Figures;

/** DORA figures of scripted histories, checked against values computed by hand (in the comments). */
class DoraCalculatorTest {
    static final Instant T0 = Instant.parse("2026-11-02T00:00:00Z");

    static EndedDeployment d(String service, String outcome, int releaseMinute, int finishMinute) {
        return new EndedDeployment(service, "production", "1." + finishMinute + ".0", outcome,
                T0.plus(Duration.ofMinutes(finishMinute)), T0.plus(Duration.ofMinutes(releaseMinute)));
    }

    /**
     * Ten deployments of shop, two rolled back:
     * <pre>
     *  #  outcome      release  finished  lead   restore
     *  1  SUCCEEDED        0       60      60
     *  2  SUCCEEDED      100      130      30
     *  3  ROLLED_BACK    200      220             (incident opens at 220)
     *  4  SUCCEEDED      230      300      70     80
     *  5  SUCCEEDED      400      410      10
     *  6  SUCCEEDED      500      540      40
     *  7  ROLLED_BACK    600      605             (opens at 605)
     *  8  SUCCEEDED      610      625      15     20
     *  9  SUCCEEDED      700      750      50
     * 10  SUCCEEDED      800      820      20
     * </pre>
     */
    static List<EndedDeployment> tenWithTwoRolledBack() {
        return List.of(d("shop", "SUCCEEDED", 0, 60), d("shop", "SUCCEEDED", 100, 130), d("shop", "ROLLED_BACK", 200, 220),
                d("shop", "SUCCEEDED", 230, 300), d("shop", "SUCCEEDED", 400, 410), d("shop", "SUCCEEDED", 500, 540),
                d("shop", "ROLLED_BACK", 600, 605), d("shop", "SUCCEEDED", 610, 625), d("shop", "SUCCEEDED", 700, 750),
                d("shop", "SUCCEEDED", 800, 820));
    }

    @Test
    void tenDeploymentsTwoRolledBackOverOneDay() {
        List<EndedDeployment> shuffled = new ArrayList<>(tenWithTwoRolledBack());
        java.util.Collections.reverse(shuffled); // the order given must not matter
        Figures f = DoraCalculator.figures(shuffled, T0, T0.plus(Duration.ofDays(1))).get(0);
        assertEquals(8, f.succeeded());
        assertEquals(2, f.rolledBack());
        assertEquals(0, f.failed());
        assertEquals(8.0, f.deploymentsPerDay(), 1e-9);
        assertEquals(0.2, f.changeFailureRate(), 1e-9); // 2 of 10
        // lead times 10 15 20 30 40 50 60 70 minutes: median (30+40)/2 = 35 min, mean 295/8 = 36.875 min
        assertEquals(8, f.leadTime().count());
        assertEquals(35 * 60.0, f.leadTime().medianSeconds(), 1e-9);
        assertEquals(36.875 * 60, f.leadTime().meanSeconds(), 1e-9);
        assertEquals(295 * 60.0, f.leadTime().sumSeconds(), 1e-9);
        // restores 80 and 20 minutes: median and mean 50 min
        assertEquals(2, f.timeToRestore().count());
        assertEquals(50 * 60.0, f.timeToRestore().medianSeconds(), 1e-9);
        assertEquals(50 * 60.0, f.timeToRestore().meanSeconds(), 1e-9);
    }

    /** Windows over the same history: what finished inside counts; an incident opened before the window counts whole. */
    @ParameterizedTest(name = "[{0}, {1}] min")
    @CsvSource({
            // from, to, succeeded, rolledBack, perDay, changeFailureRate, leadMedianMin, restores, restoreMeanMin
            // perDay = succeeded / (window in days): 6 / (1190/1440) = 7.2605042, 2 / (319/1440) = 9.0282132
            "0,    1440, 8, 2, 8.0,       0.2,         35,   2, 50",
            "250,  1440, 6, 1, 7.2605042, 0.142857143, 30,   2, 50", // leads 10 15 20 40 50 70; incident 220 -> 300 whole
            "301,  620,  2, 1, 9.0282132, 0.333333333, 25,   0, -1", // #5, #6, rollback #7; #8 restores at 625, outside
            "2000, 3440, 0, 0, 0.0,       -1,          -1,   0, -1", // nothing: no rate, no lead time
    })
    void windows(int from, int to, int succeeded, int rolledBack, double perDay, double rate, double leadMedianMin,
            int restores, double restoreMeanMin) {
        Figures f = DoraCalculator.figures(tenWithTwoRolledBack(), T0.plus(Duration.ofMinutes(from)),
                T0.plus(Duration.ofMinutes(to))).get(0);
        assertEquals(succeeded, f.succeeded());
        assertEquals(rolledBack, f.rolledBack());
        assertEquals(perDay, f.deploymentsPerDay(), 1e-6);
        if (rate < 0) {
            assertNull(f.changeFailureRate());
        } else {
            assertEquals(rate, f.changeFailureRate(), 1e-6);
        }
        if (leadMedianMin < 0) {
            assertNull(f.leadTime().medianSeconds());
        } else {
            assertEquals(leadMedianMin * 60, f.leadTime().medianSeconds(), 1e-9);
        }
        assertEquals(restores, f.timeToRestore().count());
        if (restoreMeanMin >= 0) {
            assertEquals(restoreMeanMin * 60, f.timeToRestore().meanSeconds(), 1e-9);
        }
    }

    @Test
    void failuresInARowAreOneIncidentAndAnOpenOneIsNotCounted() {
        List<EndedDeployment> history = List.of(d("cart", "SUCCEEDED", 0, 10), d("cart", "FAILED", 20, 30),
                d("cart", "ROLLED_BACK", 40, 50), d("cart", "SUCCEEDED", 60, 90), // one incident: 30 -> 90 = 60 min
                d("cart", "ROLLED_BACK", 100, 110)); // still open
        Figures f = DoraCalculator.figures(history, T0, T0.plus(Duration.ofDays(1))).get(0);
        assertEquals(1, f.failed());
        assertEquals(2, f.rolledBack());
        assertEquals(1, f.timeToRestore().count());
        assertEquals(60 * 60.0, f.timeToRestore().meanSeconds(), 1e-9);
        assertEquals(0.6, f.changeFailureRate(), 1e-9); // 3 of 5
    }

    /**
     * A release rolled back after its rollout (an alert during its bake, a person): it ends ROLLED_BACK at the same
     * instant as its rollback deployment succeeds (minute 40), so the time to restore runs from when the failure
     * began (the rollback deployment's start) to that success. History: bread SUCCEEDED at 10, the baked one
     * (release at 20) ROLLED_BACK at 40, its rollback SUCCEEDED at 40; then, where given, more ends.
     */
    @ParameterizedTest(name = "rollback began {0}, a second failure {1}/{2}, next success {3} -> {4} min")
    @CsvSource(nullValues = "-", value = {
            // began  2nd failure (began, ended)  next success  restore (min)  why
            "    -,   -,  -,   -,   0", // no start known (history before it was kept): its end, 0 s
            "   32,   -,  -,   -,   8", // the alert's rollback started at 32: 32 -> 40
            "   40,   -,  -,   -,   0", // acted on at the very end
            "   45,   -,  -,   -,   0", // a start after the end is not believed: its end
            "   32,  50, 55,  70,   8", // a later incident of its own: 8, then 50 -> 70 = 20; mean 14, see below
    })
    void aRollbackAfterTheRolloutCountsFromWhenItBegan(Integer began, Integer secondBegan, Integer secondEnded,
            Integer nextSuccess, int restoreMinutes) {
        List<EndedDeployment> history = new ArrayList<>(List.of(d("bread", "SUCCEEDED", 0, 10),
                new EndedDeployment("bread", "production", "1.1.0", "ROLLED_BACK", T0.plus(Duration.ofMinutes(40)),
                        T0.plus(Duration.ofMinutes(20)), began == null ? null : T0.plus(Duration.ofMinutes(began))),
                d("bread", "SUCCEEDED", 0, 40)));
        if (secondEnded != null) {
            history.add(new EndedDeployment("bread", "production", "1.2.0", "FAILED",
                    T0.plus(Duration.ofMinutes(secondEnded)), T0.plus(Duration.ofMinutes(48)),
                    T0.plus(Duration.ofMinutes(secondBegan))));
            history.add(d("bread", "SUCCEEDED", 60, nextSuccess));
        }
        Figures f = DoraCalculator.figures(history, T0, T0.plus(Duration.ofDays(1))).get(0);
        assertEquals(1, f.rolledBack());
        if (secondEnded == null) {
            assertEquals(1, f.timeToRestore().count());
            assertEquals(restoreMinutes * 60.0, f.timeToRestore().meanSeconds(), 1e-9);
        } else {
            assertEquals(2, f.timeToRestore().count());
            assertEquals((restoreMinutes + (nextSuccess - secondBegan)) * 60.0, f.timeToRestore().sumSeconds(), 1e-9);
            assertEquals(14 * 60.0, f.timeToRestore().meanSeconds(), 1e-9); // (8 + 20) / 2
        }
    }

    @Test
    void eachServiceAndEnvironmentHasItsOwnFigures() {
        List<EndedDeployment> history = new ArrayList<>(tenWithTwoRolledBack());
        history.add(new EndedDeployment("shop", "staging", "1.0.0", "SUCCEEDED", T0.plusSeconds(600), T0));
        history.add(d("cart", "FAILED", 0, 5));
        List<Figures> all = DoraCalculator.figures(history, T0, T0.plus(Duration.ofDays(1)));
        assertEquals(List.of("cart/production", "shop/production", "shop/staging"),
                all.stream().map(f -> f.service() + "/" + f.environment()).toList());
        assertEquals(1.0, all.get(0).changeFailureRate(), 1e-9);
        assertEquals(600.0, all.get(2).leadTime().meanSeconds(), 1e-9);
    }
}
