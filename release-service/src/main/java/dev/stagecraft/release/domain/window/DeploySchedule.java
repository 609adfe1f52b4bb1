package dev.stagecraft.release.domain.window;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * When an environment accepts deployments: inside any of its windows (no windows: at any time) and
 * never on a freeze day. Freeze dates are read in the windows' zone, or UTC when there are no windows;
 * that is why all windows of one environment share one zone.
 */
public final class DeploySchedule {
    public static final DeploySchedule ALWAYS_OPEN = new DeploySchedule(List.of(), List.of());

    private final List<DeployWindow> windows;
    private final List<Freeze> freezes;
    private final ZoneId zone;

    public DeploySchedule(List<DeployWindow> windows, List<Freeze> freezes) {
        this.windows = List.copyOf(windows);
        this.freezes = List.copyOf(freezes);
        this.zone = windows.isEmpty() ? ZoneOffset.UTC : windows.get(0).zone();
        if (windows.stream().anyMatch(w -> !w.zone().equals(zone))) {
            throw new IllegalArgumentException("all windows of a schedule share one zone");
        }
    }

    public WindowVerdict check(Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        Optional<Freeze> freeze = freezes.stream().filter(f -> f.covers(today))
                .max(Comparator.comparing(Freeze::to));
        if (freeze.isPresent()) {
            Freeze f = freeze.get();
            return new WindowVerdict(false, "frozen until " + f.to() + " (" + f.reason() + ")", nextOpen(now));
        }
        if (windows.isEmpty()) {
            return WindowVerdict.open(freezes.isEmpty() ? "no deploy windows or freezes"
                    : "no deploy windows, and no freeze today");
        }
        Optional<DeployWindow> inside = windows.stream().filter(w -> w.contains(now)).findFirst();
        if (inside.isPresent()) {
            return WindowVerdict.open("inside " + inside.get().describe());
        }
        return new WindowVerdict(false, "closed: outside " + describeWindows(), nextOpen(now));
    }

    /**
     * The first instant at or after {@code now} when a deployment may start. The search walks day by
     * day: past the last freeze, a week more always reaches every window's days.
     */
    public Optional<ZonedDateTime> nextOpen(Instant now) {
        LocalDate day = now.atZone(zone).toLocalDate();
        LocalDate lastFreezeDay = freezes.stream().map(Freeze::to).max(Comparator.naturalOrder()).orElse(day);
        LocalDate searchEnd = (lastFreezeDay.isAfter(day) ? lastFreezeDay : day).plusDays(8);
        for (LocalDate d = day; !d.isAfter(searchEnd); d = d.plusDays(1)) {
            LocalDate date = d;
            if (freezes.stream().anyMatch(f -> f.covers(date))) {
                continue;
            }
            Optional<Instant> opening = windows.isEmpty()
                    ? Optional.of(later(date.atStartOfDay(zone).toInstant(), now))
                    : windows.stream().map(w -> w.firstOpeningOn(date, now)).flatMap(Optional::stream)
                            .min(Comparator.naturalOrder());
            if (opening.isPresent()) {
                return Optional.of(opening.get().atZone(zone));
            }
        }
        return Optional.empty();
    }

    private String describeWindows() {
        return windows.stream().map(DeployWindow::describe).collect(Collectors.joining(" or "));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
