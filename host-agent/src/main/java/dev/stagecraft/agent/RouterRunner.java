package dev.stagecraft.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts a fleet router as a process of its own, detached like an instance ({@link DetachedProcessLauncher}):
 * {@code java <router options> -cp <class path> dev.stagecraft.router.RouterMain}, its output appended to
 * {@code <state-dir>/logs/router-<id>.log}, its table kept in {@code <state-dir>/router-tables/<id>.json} (written by
 * the router itself, read by it at start).
 */
final class RouterRunner {
    static final String MAIN = "dev.stagecraft.router.RouterMain";

    private final AgentConfig config;
    private final RouterSettings settings;
    private final ProcessLauncher launcher;
    private final Path logDir;
    private final Path tableDir;
    private final Map<String, Process> children = new ConcurrentHashMap<>();

    RouterRunner(AgentConfig config, RouterSettings settings, ProcessLauncher launcher) {
        this.config = config;
        this.settings = settings;
        this.launcher = launcher;
        this.logDir = config.stateDir().resolve("logs");
        this.tableDir = config.stateDir().resolve("router-tables");
        try {
            Files.createDirectories(logDir);
            Files.createDirectories(tableDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + logDir + " or " + tableDir, e);
        }
    }

    ProcessLauncher.Launched launch(RouterHandle router) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(config.javaCommand());
        command.addAll(settings.javaOptions());
        command.addAll(List.of("-cp", settings.classPath(), MAIN));
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (InstanceRunner.INHERITED.contains(name)) {
                env.put(name, value);
            }
        });
        // glibc's per-thread malloc arenas would otherwise cost the small JVM ~10 MiB.
        env.put("MALLOC_ARENA_MAX", "2");
        env.put("ROUTER_SERVICE", router.spec().service());
        env.put("ROUTER_ENVIRONMENT", router.spec().environment());
        env.put("BIND_ADDRESS", router.address());
        env.put("PORT", Integer.toString(router.port()));
        env.put("ADMIN_PORT", Integer.toString(router.adminPort()));
        env.put("ADMIN_TOKEN", router.adminToken());
        env.put("ROUTES_FILE", tableFile(router.routerId()).toString());
        ProcessLauncher.Launched launched = launcher.launch(command, env, logDir.resolve("router-" + router.routerId()
                + ".log"));
        launched.child().ifPresent(child -> children.put(router.routerId(), child));
        return launched;
    }

    String exitOf(RouterHandle router) {
        return ProcessControl.exitOf(children.remove(router.routerId()), router.pid());
    }

    void terminate(RouterHandle router) {
        children.remove(router.routerId());
        ProcessControl.terminate(router.pid(), router.startTicks(), config.stopGrace());
    }

    /** The router's own copy of its table goes with it. */
    void forget(String routerId) {
        try {
            Files.deleteIfExists(tableFile(routerId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the table of router " + routerId, e);
        }
    }

    private Path tableFile(String routerId) {
        return tableDir.resolve(routerId + ".json");
    }
}
