package dev.stagecraft.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the app reads from its environment.
 *
 * <p>A blank variable counts as unset, because process launchers often pass empty strings for
 * "no value".
 */
public record SampleConfig(
        int port,
        String version,
        Optional<String> instanceId,
        boolean readyFail,
        double errorRate,
        long latencyMs,
        boolean crashOnStart,
        long startupDelayMs,
        String bindAddress,
        boolean cartBroken) {

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_VERSION = "0.0.0";
    /** Loopback, as always: instances are reached through Stagecraft's router, never directly from outside. */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

    /** A working cart: everything before SAMPLE_CART_BROKEN existed builds the config this way. */
    public SampleConfig(int port, String version, Optional<String> instanceId, boolean readyFail, double errorRate,
            long latencyMs, boolean crashOnStart, long startupDelayMs, String bindAddress) {
        this(port, version, instanceId, readyFail, errorRate, latencyMs, crashOnStart, startupDelayMs, bindAddress,
                false);
    }

    /** Binds the default address; everything before BIND_ADDRESS existed builds the config this way. */
    public SampleConfig(int port, String version, Optional<String> instanceId, boolean readyFail, double errorRate,
            long latencyMs, boolean crashOnStart, long startupDelayMs) {
        this(port, version, instanceId, readyFail, errorRate, latencyMs, crashOnStart, startupDelayMs,
                DEFAULT_BIND_ADDRESS);
    }

    public static SampleConfig defaults() {
        return new SampleConfig(DEFAULT_PORT, DEFAULT_VERSION, Optional.empty(), false, 0.0, 0, false, 0);
    }

    public static SampleConfig fromEnv(Map<String, String> env) throws InvalidConfigException {
        Parser p = new Parser(env);
        SampleConfig config = new SampleConfig(
                p.port("PORT", DEFAULT_PORT),
                p.text("STAGECRAFT_VERSION").orElse(DEFAULT_VERSION),
                p.text("INSTANCE_ID"),
                p.bool("SAMPLE_READY_FAIL"),
                p.fraction("SAMPLE_ERROR_RATE"),
                p.millis("SAMPLE_LATENCY_MS"),
                p.bool("SAMPLE_CRASH_ON_START"),
                p.millis("SAMPLE_STARTUP_DELAY_MS"),
                p.ipLiteral("BIND_ADDRESS", DEFAULT_BIND_ADDRESS),
                p.bool("SAMPLE_CART_BROKEN"));
        if (!p.problems.isEmpty()) {
            throw new InvalidConfigException(p.problems);
        }
        return config;
    }

    public SampleConfig withPort(int newPort) {
        return new SampleConfig(newPort, version, instanceId, readyFail, errorRate, latencyMs, crashOnStart, startupDelayMs, bindAddress, cartBroken);
    }

    public SampleConfig withReadyFail(boolean fail) {
        return new SampleConfig(port, version, instanceId, fail, errorRate, latencyMs, crashOnStart, startupDelayMs, bindAddress, cartBroken);
    }

    public SampleConfig withErrorRate(double rate) {
        return new SampleConfig(port, version, instanceId, readyFail, rate, latencyMs, crashOnStart, startupDelayMs, bindAddress, cartBroken);
    }

    public SampleConfig withBindAddress(String address) {
        return new SampleConfig(port, version, instanceId, readyFail, errorRate, latencyMs, crashOnStart, startupDelayMs, address, cartBroken);
    }

    public SampleConfig withCartBroken(boolean broken) {
        return new SampleConfig(port, version, instanceId, readyFail, errorRate, latencyMs, crashOnStart, startupDelayMs, bindAddress, broken);
    }

    public SampleConfig withStartupDelayMs(long delay) {
        return new SampleConfig(port, version, instanceId, readyFail, errorRate, latencyMs, crashOnStart, delay, bindAddress, cartBroken);
    }

    /** Collects problems instead of failing fast, so one run reports every bad variable. */
    private static final class Parser {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Parser(Map<String, String> env) {
            this.env = env;
        }

        Optional<String> text(String name) {
            String raw = env.get(name);
            return raw == null || raw.isBlank() ? Optional.empty() : Optional.of(raw.trim());
        }

        int port(String name, int fallback) {
            Optional<String> raw = text(name);
            if (raw.isEmpty()) {
                return fallback;
            }
            try {
                int value = Integer.parseInt(raw.get());
                if (value >= 0 && value <= 65535) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(name + "=" + raw.get() + " is not a port number (0..65535)");
            return fallback;
        }

        /**
         * An IPv4 literal only (such as 127.0.0.2, a host agent's own loopback address): a name would need a
         * DNS lookup at start-up, and a typo would silently bind somewhere else.
         */
        String ipLiteral(String name, String fallback) {
            Optional<String> raw = text(name);
            if (raw.isEmpty()) {
                return fallback;
            }
            String[] parts = raw.get().split("\\.", -1);
            boolean valid = parts.length == 4;
            for (int i = 0; valid && i < 4; i++) {
                valid = parts[i].matches("[0-9]{1,3}") && Integer.parseInt(parts[i]) <= 255;
            }
            if (!valid) {
                problems.add(name + "=" + raw.get() + " is not an IPv4 address such as 127.0.0.2");
                return fallback;
            }
            return raw.get();
        }

        boolean bool(String name) {
            Optional<String> raw = text(name);
            if (raw.isEmpty()) {
                return false;
            }
            // Strict on purpose: "yes" or "1" silently meaning false would hide a misconfigured demo.
            switch (raw.get().toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    problems.add(name + "=" + raw.get() + " must be true or false");
                    return false;
            }
        }

        double fraction(String name) {
            Optional<String> raw = text(name);
            if (raw.isEmpty()) {
                return 0.0;
            }
            try {
                double value = Double.parseDouble(raw.get());
                if (value >= 0.0 && value <= 1.0) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(name + "=" + raw.get() + " must be a number from 0.0 to 1.0");
            return 0.0;
        }

        long millis(String name) {
            Optional<String> raw = text(name);
            if (raw.isEmpty()) {
                return 0;
            }
            try {
                long value = Long.parseLong(raw.get());
                if (value >= 0) {
                    return value;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(name + "=" + raw.get() + " must be a whole number of milliseconds >= 0");
            return 0;
        }
    }
}
