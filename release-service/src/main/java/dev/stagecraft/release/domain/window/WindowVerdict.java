package dev.stagecraft.release.domain.window;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Whether a deployment may start now, why, and (when closed) the next time it may. {@code reason}
 * is written without the environment's name; {@link #describe(String)} adds it.
 */
public record WindowVerdict(boolean open, String reason, Optional<ZonedDateTime> nextOpen) {
    /** Minutes and offset, as people read it: 2026-12-01T09:00+01:00. */
    static final DateTimeFormatter NEXT_OPEN = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mmxxx");

    static WindowVerdict open(String reason) {
        return new WindowVerdict(true, reason, Optional.empty());
    }

    /** "production is closed: outside Tue–Thu 09:00–16:00 Europe/Berlin; next open 2026-12-01T09:00+01:00". */
    public String describe(String environment) {
        if (open) {
            return environment + " is open: " + reason;
        }
        String next = nextOpen.map(t -> "; next open " + NEXT_OPEN.format(t)).orElse("; it never opens again");
        return environment + " is " + reason + next;
    }
}
