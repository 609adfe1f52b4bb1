package dev.stagecraft.agent;

import dev.stagecraft.contracts.RouteBackend;
import dev.stagecraft.contracts.RouterSpec;
import dev.stagecraft.router.Backend;
import dev.stagecraft.router.FleetKey;
import dev.stagecraft.router.RouterException;
import dev.stagecraft.router.haproxy.HaproxyAddresses;
import dev.stagecraft.router.haproxy.HaproxyConfigFile;
import dev.stagecraft.router.haproxy.HaproxyFleetTable;
import dev.stagecraft.router.haproxy.HaproxyMaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A real HAProxy (2.6 or later) per fleet: {@code haproxy -W -S <master socket> -f <config>}, started detached like an
 * instance, its pid the master's (which keeps it across hitless reloads; its workers leave with it). Its table is set
 * through the runtime API and read back from HAProxy by {@link HaproxyFleetTable}, which host agents share with
 * nothing but the router module's HAProxy classes (inventory-service's own HAProxy router uses the same ones).
 *
 * <p>Files: the config and map in {@code <state-dir>/haproxy/<id>/}, the output in {@code logs/router-<id>.log}, and
 * the two unix sockets beside the config, or where that path is too long for a unix socket (98 characters and more) in
 * a short directory under the temp dir named after the state dir and router id, so that the next agent finds them. Its metrics ({@link HaproxyRouterMetrics})
 * are served by the agent on the router's admin port on 127.0.0.1.
 */
final class HaproxyRouterEngine implements RouterEngine {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_SOCKET_PATH = 97;

    private final AgentConfig config;
    private final RouterSettings settings;
    private final ProcessLauncher launcher;
    private final Path logDir;
    private final Map<String, Process> children = new ConcurrentHashMap<>();
    private final Map<String, HaproxyRouterMetrics> metrics = new ConcurrentHashMap<>();
    /** Each router's master pid now, for the resident memory its metrics show (it changes when HAProxy restarts). */
    private final Map<String, AtomicLong> masterPids = new ConcurrentHashMap<>();

    HaproxyRouterEngine(AgentConfig config, RouterSettings settings, ProcessLauncher launcher) {
        this.config = config;
        this.settings = settings;
        this.launcher = launcher;
        this.logDir = config.stateDir().resolve("logs");
    }

    @Override
    public ProcessLauncher.Launched launch(RouterHandle router) throws IOException {
        Files.createDirectories(logDir);
        Files.createDirectories(socketDir(router.routerId()));
        try {
            table(router).writeStartFiles(router.spec().generation(), backends(router.spec()));
        } catch (RouterException e) {
            throw new IOException(e.getMessage(), e);
        }
        Map<String, String> env = new TreeMap<>();
        System.getenv().forEach((name, value) -> {
            if (InstanceRunner.INHERITED.contains(name)) {
                env.put(name, value);
            }
        });
        // HAProxy reads none of these; they name the process as the router of its record, as a router process's do
        // (deploy/local/down and the e2e platform signal a recorded pid only if its environment holds the token).
        env.put("ROUTER_SERVICE", router.spec().service());
        env.put("ROUTER_ENVIRONMENT", router.spec().environment());
        env.put("ADMIN_TOKEN", router.adminToken());
        ProcessLauncher.Launched launched = launcher.launch(master(router).command(table(router).configFile()), env,
                logDir.resolve("router-" + router.routerId() + ".log"));
        launched.child().ifPresent(child -> children.put(router.routerId(), child));
        return launched;
    }

    @Override
    public boolean isLive(RouterHandle router) {
        boolean live = router.isAlive() && master(router).isServing();
        if (live) {
            serveMetrics(router);
        }
        return live;
    }

    @Override
    public RouterAdmin.Table put(RouterHandle router) throws IOException {
        try {
            serveMetrics(router);
            HaproxyFleetTable.Applied applied = table(router).apply(router.spec().generation(),
                    backends(router.spec()), Duration.ofMillis(router.spec().drainTimeoutMillis()));
            return table(router.spec(), applied.routed(), applied.busy());
        } catch (RouterException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public RouterAdmin.Table get(RouterHandle router) throws IOException {
        try {
            serveMetrics(router); // a port that could not be bound at the last try is tried again at each heartbeat
            return table(router.spec(), table(router).read(), null);
        } catch (RouterException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public String exitOf(RouterHandle router) {
        return ProcessControl.exitOf(children.remove(router.routerId()), router.pid());
    }

    @Override
    public void terminate(RouterHandle router) {
        children.remove(router.routerId());
        stopMetrics(router.routerId());
        // SIGTERM to the master stops its workers at once (HAProxy's hard stop).
        ProcessControl.terminate(router.pid(), router.startTicks(), config.stopGrace());
    }

    @Override
    public void forget(String routerId) {
        stopMetrics(routerId);
        deleteTree(socketDir(routerId));
        deleteTree(filesDir(routerId));
    }

    @Override
    public void close() {
        metrics.keySet().forEach(this::stopMetrics);
    }

    private void serveMetrics(RouterHandle router) {
        AtomicLong pid = masterPids.computeIfAbsent(router.routerId(), id -> new AtomicLong());
        pid.set(router.pid());
        HaproxyRouterMetrics served = metrics.get(router.routerId());
        if (served != null && served.port() == router.adminPort()) {
            return;
        }
        stopMetrics(router.routerId());
        HaproxyRouterMetrics started = HaproxyRouterMetrics.start(router, table(router), pid::get);
        if (started != null) {
            metrics.put(router.routerId(), started);
        }
    }

    private void stopMetrics(String routerId) {
        masterPids.remove(routerId);
        HaproxyRouterMetrics served = metrics.remove(routerId);
        if (served != null) {
            served.close();
        }
    }

    /** The table as reported: HAProxy's, with each address written as the spec wrote it where it is the same. */
    private static RouterAdmin.Table table(RouterSpec spec, HaproxyFleetTable.Routed routed, java.util.List<String> busy) {
        Map<String, RouteBackend> backends = new TreeMap<>();
        routed.backends().forEach((id, backend) -> {
            RouteBackend asked = spec.backends().get(id);
            boolean same = asked != null && asked.address().endsWith(":" + backend.port())
                    && HaproxyAddresses.sameHost(new Backend(asked.address(), 0).host(), backend.host());
            backends.put(id, new RouteBackend(same ? asked.address() : backend.address(), backend.weight()));
        });
        return new RouterAdmin.Table(routed.generation(), backends, busy);
    }

    private static Map<String, Backend> backends(RouterSpec spec) {
        Map<String, Backend> backends = new TreeMap<>();
        spec.backends().forEach((id, b) -> backends.put(id, new Backend(b.address(), b.weight())));
        return backends;
    }

    HaproxyMaster master(RouterHandle router) {
        Path sockets = socketDir(router.routerId());
        return new HaproxyMaster(settings.haproxyBinary(), sockets.resolve("master.sock"), sockets.resolve("stats.sock"),
                logDir.resolve("router-" + router.routerId() + ".log"), () -> !router.isAlive());
    }

    HaproxyFleetTable table(RouterHandle router) {
        Path sockets = socketDir(router.routerId());
        return new HaproxyFleetTable(master(router), new FleetKey(router.spec().service(), router.spec().environment()),
                router.routerId(), router.address(), router.port(), filesDir(router.routerId()),
                new HaproxyConfigFile.Settings(CONNECT_TIMEOUT, REQUEST_TIMEOUT, sockets.resolve("stats.sock")));
    }

    private Path filesDir(String routerId) {
        return config.stateDir().resolve("haproxy").resolve(routerId);
    }

    /**
     * Beside the config where that path is short enough for a unix socket (then nothing is left outside the state dir),
     * else a short directory under the temp dir, the same for the next agent: named after a hash of the state dir and
     * router id.
     */
    private Path socketDir(String routerId) {
        Path beside = filesDir(routerId).toAbsolutePath().normalize();
        if (beside.resolve("master.sock").toString().length() <= MAX_SOCKET_PATH) {
            return beside;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((config.stateDir().toAbsolutePath().normalize()
                    + "\n" + routerId).getBytes(StandardCharsets.UTF_8));
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "stagecraft-haproxy-"
                    + HexFormat.of().formatHex(hash, 0, 8));
            if (dir.resolve("master.sock").toString().length() > MAX_SOCKET_PATH) {
                throw new IllegalStateException("HAProxy's unix sockets need a path of at most " + MAX_SOCKET_PATH
                        + " characters, and " + dir + " is too long: set java.io.tmpdir to a shorter directory");
            }
            return dir;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
