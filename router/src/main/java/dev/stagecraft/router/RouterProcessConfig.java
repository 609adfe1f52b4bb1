package dev.stagecraft.router;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A router process's settings, from the environment its host agent gives it: the fleet ({@code ROUTER_SERVICE},
 * {@code ROUTER_ENVIRONMENT}), where its entry point listens ({@code BIND_ADDRESS}, {@code PORT}), its admin API on
 * loopback ({@code ADMIN_PORT}, every call but liveness needs {@code Authorization: Bearer <ADMIN_TOKEN>}), its
 * table's file ({@code ROUTES_FILE}) and the proxy's timeouts in milliseconds ({@code ROUTER_CONNECT_TIMEOUT_MS},
 * {@code ROUTER_REQUEST_TIMEOUT_MS}) and how many event loops proxy ({@code ROUTER_EVENT_LOOPS}, 1: on a small host the
 * instances need the other cores; docs/performance.md has the measurements).
 */
public record RouterProcessConfig(FleetKey fleet, String bindAddress, int port, int adminPort, String adminToken,
        Path routesFile, ProxySettings proxy, int eventLoops) {

    public static RouterProcessConfig fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String service = required(env, "ROUTER_SERVICE", problems);
        String environment = required(env, "ROUTER_ENVIRONMENT", problems);
        String token = required(env, "ADMIN_TOKEN", problems);
        String file = required(env, "ROUTES_FILE", problems);
        int port = number(env, "PORT", -1, problems);
        int adminPort = number(env, "ADMIN_PORT", -1, problems);
        int connect = number(env, "ROUTER_CONNECT_TIMEOUT_MS", 1_000, problems);
        int request = number(env, "ROUTER_REQUEST_TIMEOUT_MS", 30_000, problems);
        int loops = number(env, "ROUTER_EVENT_LOOPS", 1, problems);
        if (loops < 1 || loops > 64) {
            problems.add("ROUTER_EVENT_LOOPS must be from 1 to 64, was " + loops);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
        }
        return new RouterProcessConfig(new FleetKey(service, environment), env.getOrDefault("BIND_ADDRESS",
                "127.0.0.1"), port, adminPort, token, Path.of(file),
                new ProxySettings(Duration.ofMillis(connect), Duration.ofMillis(request)), loops);
    }

    private static String required(Map<String, String> env, String name, List<String> problems) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            problems.add(name + " must be set");
        }
        return value;
    }

    private static int number(Map<String, String> env, String name, int fallback, List<String> problems) {
        String value = env.get(name);
        if (value == null && fallback >= 0) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(String.valueOf(value).trim());
            if (n >= 0 && n <= 65_535 * 1_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        problems.add(name + " must be a whole number >= 0, was " + value);
        return fallback;
    }
}
