package dev.stagecraft.release.bake;

import java.time.Duration;
import java.util.Optional;

import dev.stagecraft.contracts.Durations;
import dev.stagecraft.platform.api.Violations;

/**
 * An environment's bake time as users write it ({@code 30m}, {@code 2h}, {@code 90s}): how long a deployment is
 * watched after its rollout before it counts as SUCCEEDED. Absent or zero means no bake.
 */
public final class BakeTime {
    /** A day: longer than any sensible watch, short enough that a forgotten bake does not hold a slot for ever. */
    static final Duration MAX = Duration.ofHours(24);

    public static void check(Violations v, String field, String text) {
        if (text == null) {
            return;
        }
        Optional<Duration> parsed = Durations.parse(text);
        if (parsed.isEmpty()) {
            v.add(field, "'" + text + "' is not a duration: a whole number and ms, s, m or h, e.g. 30m");
        } else if (parsed.get().compareTo(MAX) > 0) {
            v.add(field, text + " is longer than the longest bake time, 24h");
        }
    }

    /** What is stored for a checked value: null for no bake, else the text as given. */
    public static String stored(String text) {
        return of(text).map(d -> text.trim()).orElse(null);
    }

    /** The bake of a stored or checked value; empty for none. */
    public static Optional<Duration> of(String text) {
        return Durations.parse(text).filter(d -> !d.isZero() && !d.isNegative());
    }

    private BakeTime() {
    }
}
