package dev.stagecraft.agent;

import dev.stagecraft.contracts.Durations;
import dev.stagecraft.router.haproxy.HaproxyFleetTable;
import dev.stagecraft.router.haproxy.HaproxyMaster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How the agent runs fleet routers (README, "Fleet routers"): which kind ({@code STAGECRAFT_AGENT_ROUTER_KIND}: auto,
 * the default, is HAProxy where {@code STAGECRAFT_AGENT_HAPROXY} is an HAProxy 2.6 or later, else the router process;
 * or haproxy, or java; a table larger than HAProxy holds goes to the router process, {@link #kindFor}), the JVM options and class path of a router process (the
 * agent's own class path by default: the agent's jar holds the router), how long one may take to answer its admin
 * API, and its restart backoff, shorter than an instance's because every request of a fleet enters through it.
 */
record RouterSettings(List<String> javaOptions, String classPath, Duration startTimeout, CrashLoopBackoff backoff,
        String kind, Path haproxyBinary) {
    /** A real HAProxy per fleet, driven through its runtime API: the default wherever a usable HAProxy is installed. */
    static final String HAPROXY = "haproxy";
    /** The router process on Vert.x ({@code dev.stagecraft.router.RouterMain}): chosen, or where HAProxy is missing. */
    static final String JAVA = "java";

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
                        duration(env, "STAGECRAFT_AGENT_ROUTER_BACKOFF_RESET", "10m", problems)),
                JAVA, Path.of(text(env, "STAGECRAFT_AGENT_HAPROXY", "/usr/sbin/haproxy")));
        String kind = text(env, "STAGECRAFT_AGENT_ROUTER_KIND", "auto");
        switch (kind) {
            case "auto" -> settings = settings.withKind(HaproxyMaster.isUsable(settings.haproxyBinary()) ? HAPROXY : JAVA);
            case JAVA -> settings = settings.withKind(JAVA);
            case HAPROXY -> {
                try {
                    HaproxyMaster.requireUsable(settings.haproxyBinary(), "STAGECRAFT_AGENT_HAPROXY");
                    settings = settings.withKind(HAPROXY);
                } catch (IllegalStateException e) {
                    problems.add("STAGECRAFT_AGENT_ROUTER_KIND=haproxy, but " + e.getMessage());
                }
            }
            default -> problems.add("STAGECRAFT_AGENT_ROUTER_KIND=" + kind + " is not auto, haproxy or java");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
        }
        return settings;
    }

    /**
     * The kind that routes a table of {@code backends}, for a router of kind {@code current}: HAProxy's
     * {@code balance roundrobin}, whose runtime weights the tables need (canary shares, a weight 0 that drains),
     * holds at most {@link HaproxyFleetTable#MAX_SLOTS} servers per backend, so a larger table goes to the router
     * process, which has no such limit. Never back: a fleet that grew that large once is kept off a limit it may
     * reach again, and each change of kind costs the fleet its entry point for a moment.
     */
    static String kindFor(String current, int backends) {
        return HAPROXY.equals(current) && backends > HaproxyFleetTable.MAX_SLOTS ? JAVA : current;
    }

    RouterSettings withKind(String newKind) {
        return new RouterSettings(javaOptions, classPath, startTimeout, backoff, newKind, haproxyBinary);
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
