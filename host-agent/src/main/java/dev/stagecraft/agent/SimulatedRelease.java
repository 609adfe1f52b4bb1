package dev.stagecraft.agent;

import dev.stagecraft.sample.InvalidConfigException;
import dev.stagecraft.sample.SampleConfig;
import java.util.List;
import java.util.Map;

/**
 * How a simulated instance of one release behaves, read from the variables a real instance would get (README,
 * "Simulated hosts"): the sample app's own {@code SAMPLE_*} variables, read by the sample app's own parser so that a
 * release behaves alike simulated or real, plus two that only a simulation needs, because a real process has them
 * by nature: {@code SIMULATION_BOOT_MS} (how long it takes to open its port, as a JVM takes to start) and
 * {@code SIMULATION_LIVE_FAIL} (its liveness answers 503, as a hung process fails it).
 */
record SimulatedRelease(
        String version,
        long bootMs,
        boolean liveFail,
        boolean crashOnStart,
        boolean readyFail,
        long startupDelayMs,
        double errorRate,
        long latencyMs,
        boolean cartBroken) {

    static final String BOOT_MS = "SIMULATION_BOOT_MS";
    static final String LIVE_FAIL = "SIMULATION_LIVE_FAIL";

    /** Throws what the sample app would print before exiting with status 2. */
    static SimulatedRelease of(Map<String, String> variables) throws InvalidConfigException {
        SampleConfig sample = SampleConfig.fromEnv(variables);
        String boot = blankless(variables.get(BOOT_MS), "0");
        String liveFail = blankless(variables.get(LIVE_FAIL), "false");
        long bootMs;
        try {
            bootMs = Long.parseLong(boot);
        } catch (NumberFormatException e) {
            bootMs = -1;
        }
        if (bootMs < 0) {
            throw new InvalidConfigException(List.of(BOOT_MS + "=" + boot + " must be a whole number of milliseconds >= 0"));
        }
        if (!liveFail.equalsIgnoreCase("true") && !liveFail.equalsIgnoreCase("false")) {
            throw new InvalidConfigException(List.of(LIVE_FAIL + "=" + liveFail + " must be true or false"));
        }
        return new SimulatedRelease(sample.version(), bootMs, Boolean.parseBoolean(liveFail.toLowerCase()),
                sample.crashOnStart(), sample.readyFail(), sample.startupDelayMs(), sample.errorRate(),
                sample.latencyMs(), sample.cartBroken());
    }

    private static String blankless(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
