package dev.stagecraft.agent;

import dev.stagecraft.contracts.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How the agent runs fleet routers (README, "Fleet routers"): the JVM options and class path of a router process (the
 * agent's own class path by default: the agent's jar holds the router), how long one may take to answer its admin
 * API, and its restart backoff, shorter than an instance's because every request of a fleet enters through it.
 */
record RouterSettings(List<String> javaOptions, String classPath, Duration startTimeout, CrashLoopBackoff backoff) {

    static final String DEFAULT_JAVA_OPTIONS = "-Xmx48m -Xss256k -XX:+UseSerialGC -XX:MaxMetaspaceSize=64m "
            + "-XX:ReservedCodeCacheSize=32m -XX:CICompilerCount=2";

    static RouterSettings fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        RouterSettings settings = new RouterSettings(
                Arrays.stream(text(env, "STAGECRAFT_AGENT_ROUTER_JAVA_OPTIONS", DEFAULT_JAVA_OPTIONS).trim().split("\\s+"))
                        .filter(o -> !o.isEmpty()).toList(),
                text(env, "STAGECRAFT_AGENT_ROUTER_CLASSPATH", System.getProperty("java.class.path")),
                duration(env, "STAGECRAFT_AGENT_ROUTER_START_TIMEOUT", "20s", problems),
                new CrashLoopBackoff(duration(env, "STAGECRAFT_AGENT_ROUTER_BACKOFF_INITIAL", "1s", problems),
                        duration(env, "STAGECRAFT_AGENT_ROUTER_BACKOFF_MAX", "1m", problems),
                        duration(env, "STAGECRAFT_AGENT_ROUTER_BACKOFF_RESET", "10m", problems)));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
        }
        return settings;
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static Duration duration(Map<String, String> env, String name, String fallback, List<String> problems) {
        String value = text(env, name, fallback);
        return Durations.parse(value).orElseGet(() -> {
            problems.add(name + "=" + value + " is not a duration such as 500ms, 10s or 5m");
            return Durations.of(fallback);
        });
    }
}
