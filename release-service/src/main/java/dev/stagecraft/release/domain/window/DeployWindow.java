package dev.stagecraft.release.domain.window;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A weekly slot in which deployments may start: on {@code days}, from {@code from} (inclusive) to
 * {@code to} (exclusive), in the wall-clock time of {@code zone}. {@link LocalTime#MAX} as {@code to}
 * means "until midnight" ("24:00"). Judging by wall-clock time keeps a window where people expect it
 * across daylight-saving changes: a window whose hours do not exist on the day clocks go forward is
 * simply shorter (or empty) that day.
 */
public record DeployWindow(ZoneId zone, Set<DayOfWeek> days, LocalTime from, LocalTime to) {
    public static final LocalTime END_OF_DAY = LocalTime.MAX;

    public DeployWindow {
        days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a window's from (" + from + ") must be before its to (" + to + ")");
        }
    }

    public boolean contains(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        LocalTime time = local.toLocalTime();
        return days.contains(local.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
    }

    /** The first instant on {@code date} (local) at or after {@code notBefore} when this window is open. */
    public Optional<Instant> firstOpeningOn(LocalDate date, Instant notBefore) {
        if (!days.contains(date.getDayOfWeek())) {
            return Optional.empty();
        }
        // A start inside a daylight-saving gap moves forward to the first wall-clock time that exists.
        Instant start = ZonedDateTime.ofLocal(date.atTime(from), zone, null).toInstant();
        Instant candidate = start.isAfter(notBefore) ? start : notBefore;
        boolean sameDay = candidate.atZone(zone).toLocalDate().equals(date);
        return sameDay && contains(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    /** For people: "Tue–Thu 09:00–16:00 Europe/Berlin". */
    public String describe() {
        return describeDays(days) + " " + time(from) + "–" + time(to) + " " + zone.getId();
    }

    static String time(LocalTime time) {
        return time.equals(END_OF_DAY) ? "24:00" : String.format("%02d:%02d", time.getHour(), time.getMinute());
    }

    /** Runs of three or more consecutive days become ranges ("Mon–Fri"), the rest are listed. */
    static String describeDays(Set<DayOfWeek> days) {
        if (days.size() == 7) {
            return "every day";
        }
        List<DayOfWeek> sorted = new ArrayList<>(EnumSet.copyOf(days));
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1).getValue() == sorted.get(j).getValue() + 1) {
                j++;
            }
            if (j - i >= 2) {
                parts.add(name(sorted.get(i)) + "–" + name(sorted.get(j)));
            } else {
                for (int k = i; k <= j; k++) {
                    parts.add(name(sorted.get(k)));
                }
            }
            i = j + 1;
        }
        return String.join(", ", parts);
    }

    private static String name(DayOfWeek day) {
        return day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
    }
}
