package dev.stagecraft.health.analysis;

import java.time.Duration;
import java.util.Locale;

/** How numbers read in verdict reasons: rates in percent, latencies in milliseconds, durations as users write them. */
final class Words {

    /** 0.296 → 29.6%; small rates keep a second decimal so that a 0.05% floor does not read as 0.1%. */
    static String percent(double fraction) {
        double percent = fraction * 100;
        return String.format(Locale.ROOT, percent != 0 && Math.abs(percent) < 1 ? "%.2f%%" : "%.1f%%", percent);
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.1fms" : "%.0fms", millis);
    }

    static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.1f", ratio);
    }

    /** An elapsed time: 5.0s. */
    static String seconds(Duration elapsed) {
        return String.format(Locale.ROOT, "%.1fs", elapsed.toMillis() / 1000.0);
    }

    /** A window as a user wrote it: 30s, 2m, 2500ms. */
    static String window(Duration window) {
        long ms = window.toMillis();
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    static String requests(long n) {
        return n == 1 ? "1 request" : n + " requests";
    }

    private Words() {
    }
}
