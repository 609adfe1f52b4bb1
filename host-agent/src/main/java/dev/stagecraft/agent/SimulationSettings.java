package dev.stagecraft.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether this agent is a simulated host (README, "Simulated hosts"): {@code STAGECRAFT_AGENT_SIMULATED=true}, and
 * the port its simulated instances share ({@code STAGECRAFT_AGENT_SIMULATED_PORT}, 0: a free one).
 */
record SimulationSettings(boolean enabled, int port) {

    static final SimulationSettings OFF = new SimulationSettings(false, 0);

    static SimulationSettings fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String enabled = text(env, "STAGECRAFT_AGENT_SIMULATED", "false");
        if (!enabled.equalsIgnoreCase("true") && !enabled.equalsIgnoreCase("false")) {
            problems.add("STAGECRAFT_AGENT_SIMULATED=" + enabled + " must be true or false");
        }
        String rawPort = text(env, "STAGECRAFT_AGENT_SIMULATED_PORT", "0");
        int port = -1;
        try {
            port = Integer.parseInt(rawPort);
        } catch (NumberFormatException e) {
            // reported below
        }
        if (port < 0 || port > 65_535) {
            problems.add("STAGECRAFT_AGENT_SIMULATED_PORT=" + rawPort + " must be a port from 0 (any free one) to 65535");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
        }
        return new SimulationSettings(Boolean.parseBoolean(enabled.toLowerCase()), port);
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
