package dev.stagecraft.release.domain.window;

import java.time.LocalDate;

/** Days on which nothing may be deployed, {@code from} to {@code to} inclusive (dates in the schedule's zone). */
public record Freeze(LocalDate from, LocalDate to, String reason) {
    public Freeze {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("a freeze cannot end (" + to + ") before it starts (" + from + ")");
        }
    }

    public boolean covers(LocalDate day) {
        return !day.isBefore(from) && !day.isAfter(to);
    }
}
