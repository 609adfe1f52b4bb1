package dev.stagecraft.release.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Precedence as semver.org rule 11 states it, including its own example chain. */
class SemVerOrderTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = ' ', value = {
            "1.0.0 < 2.0.0",
            "2.0.0 < 2.1.0",
            "2.1.0 < 2.1.1",
            "1.9.0 < 1.10.0",
            "1.0.10 > 1.0.9",
            "1.0.0-alpha < 1.0.0",
            "1.0.0-rc.1 < 1.0.0",
            "1.0.0-alpha < 1.0.0-alpha.1",
            "1.0.0-alpha.1 < 1.0.0-alpha.beta",
            "1.0.0-beta.2 < 1.0.0-beta.11",
            "1.0.0-1 < 1.0.0-alpha",
            "1.0.0-alpha.10 > 1.0.0-alpha.9",
            "1.0.0-Beta < 1.0.0-alpha",
            "1.0.0+build.5 = 1.0.0",
            "1.0.0-rc.1+a = 1.0.0-rc.1+b",
            "2.0.0-rc.1 > 1.9.9",
            "99999999999999999999.0.0 > 9999999999999999999.0.0",
            "1.2.3 = 1.2.3",
    })
    void comparesByPrecedence(String left, String relation, String right) {
        int expected = switch (relation) {
            case "<" -> -1;
            case ">" -> 1;
            default -> 0;
        };
        assertEquals(expected, Integer.signum(SemVerOrder.INSTANCE.compare(left, right)));
        assertEquals(-expected, Integer.signum(SemVerOrder.INSTANCE.compare(right, left)));
    }

    @Test
    void sortsSemverOrgsExampleChain() {
        List<String> expected = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0");
        List<String> shuffled = new ArrayList<>(expected);
        Collections.reverse(shuffled);
        shuffled.sort(SemVerOrder.INSTANCE);
        assertEquals(expected, shuffled);
    }

    @Test
    void refusesWhatIsNotAVersion() {
        assertThrows(IllegalArgumentException.class, () -> SemVerOrder.INSTANCE.compare("1.0", "1.0.0"));
    }
}
