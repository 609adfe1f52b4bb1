package dev.stagecraft.router;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes Prometheus' text exposition format (0.0.4) by hand: the router process and the host agent serve a handful of
 * series each, so a metrics library (and its memory) is not worth it. Shared by both, which is why it lives here.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(1024);

    /** The {@code # HELP} and {@code # TYPE} lines of a metric family; its samples follow. */
    public PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} are name, value, name, value, … */
    public PrometheusText sample(String name, double value, String... labels) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    /** {@code process_resident_memory_bytes} from /proc/self/status (VmRSS), where there is one (Linux). */
    public PrometheusText residentMemory() {
        long bytes = residentBytes();
        if (bytes > 0) {
            family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
            sample("process_resident_memory_bytes", bytes);
        }
        return this;
    }

    /** VmRSS of this process in bytes, or 0 where /proc is not readable. */
    public static long residentBytes() {
        return residentBytes("self");
    }

    /** VmRSS of process {@code pid} ("self" for this one) in bytes, or 0 where it cannot be read. */
    public static long residentBytes(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc hidden: no figure rather than a wrong one
        }
        return 0;
    }

    static String escape(String value) {
        if (value == null) {
            return "";
        }
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String number(double value) {
        if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return String.format(Locale.ROOT, "%s", value);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
