package dev.stagecraft.release.domain.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.release.api.FreezeSpec;
import dev.stagecraft.release.api.WindowSpec;

/** Every mistake in a window or a freeze is named with its field. */
class ScheduleSpecsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "unknown time zone      | Mars/Olympus  | TUE,WED | 09:00 | 16:00 | windows[0].timezone",
            "missing time zone      | null          | TUE     | 09:00 | 16:00 | windows[0].timezone",
            "misspelt day           | Europe/Berlin | TUE,FRY | 09:00 | 16:00 | windows[0].days[1]",
            "full day name          | Europe/Berlin | TUESDAY | 09:00 | 16:00 | windows[0].days[0]",
            "day twice              | Europe/Berlin | TUE,tue | 09:00 | 16:00 | windows[0].days[1]",
            "no days                | Europe/Berlin | null    | 09:00 | 16:00 | windows[0].days",
            "from after to          | Europe/Berlin | TUE     | 16:00 | 09:00 | windows[0]",
            "from equals to         | Europe/Berlin | TUE     | 09:00 | 09:00 | windows[0]",
            "hour without zero      | Europe/Berlin | TUE     | 9:00  | 16:00 | windows[0].from",
            "hour 25                | Europe/Berlin | TUE     | 09:00 | 25:00 | windows[0].to",
            "24:00 only as an end   | Europe/Berlin | TUE     | 24:00 | 24:00 | windows[0].from",
    })
    void namesWhatIsWrongWithAWindow(String name, String zone, String days, String from, String to, String field) {
        Violations v = new Violations();
        List<String> dayList = days == null ? null : Arrays.asList(days.split(","));
        ScheduleSpecs.checkWindows(v, List.of(new WindowSpec(zone, dayList, from, to)));
        assertTrue(fields(v).contains(field), fields(v).toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "month 13          | 2026-13-01 | 2026-12-31 | x    | freezes[0].from",
            "one-digit day     | 2026-12-20 | 2026-12-1  | x    | freezes[0].to",
            "February 30       | 2027-02-30 | 2027-03-01 | x    | freezes[0].from",
            "ends before start | 2027-01-05 | 2026-12-20 | x    | freezes[0]",
            "no reason         | 2026-12-20 | 2027-01-05 | null | freezes[0].reason",
    })
    void namesWhatIsWrongWithAFreeze(String name, String from, String to, String reason, String field) {
        Violations v = new Violations();
        ScheduleSpecs.checkFreezes(v, List.of(new FreezeSpec(from, to, reason)));
        assertTrue(fields(v).contains(field), fields(v).toString());
    }

    @Test
    void windowsShareOneTimeZoneAndDaysAreNormalised() {
        Violations v = new Violations();
        List<WindowSpec> normalised = ScheduleSpecs.checkWindows(v, List.of(
                new WindowSpec("Europe/Berlin", List.of("tue", "Wed"), "09:00", "16:00"),
                new WindowSpec("America/New_York", List.of("MON"), "09:00", "24:00")));
        assertEquals(List.of("windows[1].timezone"), fields(v));
        assertEquals(List.of("TUE", "WED"), normalised.get(0).days());
    }

    @Test
    void aOneDayFreezeAndAGoodWindowPass() {
        Violations v = new Violations();
        ScheduleSpecs.checkWindows(v, List.of(new WindowSpec("UTC", List.of("MON"), "00:00", "24:00")));
        ScheduleSpecs.checkFreezes(v, List.of(new FreezeSpec("2026-12-24", "2026-12-24", "christmas eve")));
        assertTrue(v.isEmpty(), fields(v).toString());
    }

    private static List<String> fields(Violations v) {
        return v.list().stream().map(Problem.Violation::field).toList();
    }
}
