package dev.stagecraft.release.domain.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Windows, freezes and the next open time, including both daylight-saving changes of Europe/Berlin in 2026. */
class DeployScheduleTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final Set<DayOfWeek> TUE_THU = EnumSet.of(DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY);
    static final Freeze YEAR_END = new Freeze(LocalDate.parse("2026-12-20"), LocalDate.parse("2027-01-05"), "year end");

    static final Map<String, DeploySchedule> SCHEDULES = Map.of(
            "office", new DeploySchedule(List.of(window(BERLIN, TUE_THU, "09:00", "16:00")), List.of(YEAR_END)),
            "freeze-only", new DeploySchedule(List.of(), List.of(YEAR_END)),
            "two-freezes", new DeploySchedule(List.of(), List.of(
                    new Freeze(LocalDate.parse("2026-12-20"), LocalDate.parse("2026-12-24"), "a"),
                    new Freeze(LocalDate.parse("2026-12-25"), LocalDate.parse("2026-12-31"), "b"))),
            "sunday-2-to-3", new DeploySchedule(List.of(window(BERLIN, EnumSet.of(DayOfWeek.SUNDAY), "02:00", "03:00")),
                    List.of()),
            "sunday-2-to-4", new DeploySchedule(List.of(window(BERLIN, EnumSet.of(DayOfWeek.SUNDAY), "02:00", "04:00")),
                    List.of()),
            "weekdays-utc", new DeploySchedule(List.of(window(ZoneId.of("UTC"),
                    EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), "00:00", "24:00")), List.of()),
            "split-monday", new DeploySchedule(List.of(
                    window(BERLIN, EnumSet.of(DayOfWeek.MONDAY), "09:00", "12:00"),
                    window(BERLIN, EnumSet.of(DayOfWeek.MONDAY), "14:00", "17:00")), List.of()),
            "none", DeploySchedule.ALWAYS_OPEN);

    static DeployWindow window(ZoneId zone, Set<DayOfWeek> days, String from, String to) {
        return new DeployWindow(zone, days, LocalTime.parse(from), to.equals("24:00") ? DeployWindow.END_OF_DAY
                : LocalTime.parse(to));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "opens at 09:00 sharp (Tue, CET)     | office | 2026-12-01T08:00:00Z | prod is open: inside Tue–Thu 09:00–16:00 Europe/Berlin",
            "last second before 16:00            | office | 2026-12-01T14:59:59Z | prod is open: inside Tue–Thu 09:00–16:00 Europe/Berlin",
            "16:00 is closed (to is exclusive)   | office | 2026-12-01T15:00:00Z | prod is closed: outside Tue–Thu 09:00–16:00 Europe/Berlin; next open 2026-12-02T09:00+01:00",
            "Monday: next open is Tuesday        | office | 2026-11-30T10:00:00Z | prod is closed: outside Tue–Thu 09:00–16:00 Europe/Berlin; next open 2026-12-01T09:00+01:00",
            "Friday: next open after the weekend | office | 2026-12-04T10:00:00Z | prod is closed: outside Tue–Thu 09:00–16:00 Europe/Berlin; next open 2026-12-08T09:00+01:00",
            "Thursday before the freeze          | office | 2026-12-17T10:00:00Z | prod is open: inside Tue–Thu 09:00–16:00 Europe/Berlin",
            "inside a window but frozen          | office | 2026-12-22T10:00:00Z | prod is frozen until 2027-01-05 (year end); next open 2027-01-06T09:00+01:00",
            "last second of the freeze (local)   | office | 2027-01-05T22:59:59Z | prod is frozen until 2027-01-05 (year end); next open 2027-01-06T09:00+01:00",
            "freeze over at local midnight       | office | 2027-01-05T23:00:00Z | prod is closed: outside Tue–Thu 09:00–16:00 Europe/Berlin; next open 2027-01-06T09:00+01:00",
            "before spring forward: next is CEST | office | 2026-03-27T10:00:00Z | prod is closed: outside Tue–Thu 09:00–16:00 Europe/Berlin; next open 2026-03-31T09:00+02:00",
            "before fall back: next is CET       | office | 2026-10-23T10:00:00Z | prod is closed: outside Tue–Thu 09:00–16:00 Europe/Berlin; next open 2026-10-27T09:00+01:00",
            "window hour skipped by DST          | sunday-2-to-3 | 2026-03-28T12:00:00Z | prod is closed: outside Sun 02:00–03:00 Europe/Berlin; next open 2026-04-05T02:00+02:00",
            "window start in the DST gap         | sunday-2-to-4 | 2026-03-28T12:00:00Z | prod is closed: outside Sun 02:00–04:00 Europe/Berlin; next open 2026-03-29T03:00+02:00",
            "fall back: first 02:30 (CEST)       | sunday-2-to-3 | 2026-10-25T00:30:00Z | prod is open: inside Sun 02:00–03:00 Europe/Berlin",
            "fall back: second 02:30 (CET)       | sunday-2-to-3 | 2026-10-25T01:30:00Z | prod is open: inside Sun 02:00–03:00 Europe/Berlin",
            "fall back: 03:00 CET is closed      | sunday-2-to-3 | 2026-10-25T02:00:00Z | prod is closed: outside Sun 02:00–03:00 Europe/Berlin; next open 2026-11-01T02:00+01:00",
            "until 24:00: last second of Friday  | weekdays-utc | 2026-12-04T23:59:59Z | prod is open: inside Mon–Fri 00:00–24:00 UTC",
            "Saturday: next is Monday midnight   | weekdays-utc | 2026-12-05T12:00:00Z | prod is closed: outside Mon–Fri 00:00–24:00 UTC; next open 2026-12-07T00:00+00:00",
            "between two windows of one day      | split-monday | 2026-11-30T11:30:00Z | prod is closed: outside Mon 09:00–12:00 Europe/Berlin or Mon 14:00–17:00 Europe/Berlin; next open 2026-11-30T14:00+01:00",
            "no windows: open the day before     | freeze-only | 2026-12-19T23:59:59Z | prod is open: no deploy windows, and no freeze today",
            "no windows: freeze dated in UTC     | freeze-only | 2026-12-20T00:00:00Z | prod is frozen until 2027-01-05 (year end); next open 2027-01-06T00:00+00:00",
            "back-to-back freezes                | two-freezes | 2026-12-22T12:00:00Z | prod is frozen until 2026-12-24 (a); next open 2027-01-01T00:00+00:00",
            "nothing configured                  | none | 2026-12-22T12:00:00Z | prod is open: no deploy windows or freezes",
    })
    void judgesTheMomentAndFindsTheNextOpening(String name, String schedule, String now, String expected) {
        assertEquals(expected, SCHEDULES.get(schedule).check(Instant.parse(now)).describe("prod"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY | Mon–Fri",
            "MONDAY,WEDNESDAY,FRIDAY | Mon, Wed, Fri",
            "MONDAY,TUESDAY | Mon, Tue",
            "MONDAY,TUESDAY,WEDNESDAY,FRIDAY,SATURDAY | Mon–Wed, Fri, Sat",
            "MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY,SATURDAY,SUNDAY | every day",
    })
    void describesDaysForPeople(String days, String expected) {
        Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
        for (String d : days.split(",")) {
            set.add(DayOfWeek.valueOf(d));
        }
        assertEquals(expected, DeployWindow.describeDays(set));
    }
}
