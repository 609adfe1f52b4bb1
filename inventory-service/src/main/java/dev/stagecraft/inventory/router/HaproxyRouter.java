package dev.stagecraft.inventory.router;

import dev.stagecraft.router.RouterException;
import dev.stagecraft.router.haproxy.HaproxyCli;
import dev.stagecraft.router.haproxy.HaproxyConfigFile;
import dev.stagecraft.router.haproxy.HaproxyFleet;
import dev.stagecraft.router.haproxy.HaproxyServerState;
import dev.stagecraft.router.haproxy.HaproxySessions;
import dev.stagecraft.router.haproxy.HaproxyProcesses;
import dev.stagecraft.router.haproxy.MakeBeforeBreak;

import dev.stagecraft.router.FleetKey;

import dev.stagecraft.router.Backend;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.vertx.core.Context;
import org.jboss.logging.Logger;

/**
 * Routes through a real HAProxy (2.6 or later), driven through its runtime API: one HAProxy process for this
 * service (master-worker, guarded so that it dies with the service), one {@code listen} proxy per fleet on
 * its own loopback port, with server slots that grow as the fleet does. An instance gets a slot; its address, weight
 * and state are set with {@code set server}, and {@link #appliedWeights} reads them back from HAProxy
 * ({@code show servers state}), never from this class's memory.
 *
 * <p>Opening or removing a fleet rewrites the config file from memory (with every slot's current address
 * and weight) and reloads it through the master CLI; the other fleets are then compared with memory and
 * set again where they differ. Requests in flight are HAProxy's current sessions per server
 * ({@code show stat} scur), in the current worker and in old workers still finishing requests from before a
 * reload. Every call is serialized: HAProxy's state and this memory change together.
 */
public class HaproxyRouter implements TrafficRouter {
    private static final Logger LOG = Logger.getLogger(HaproxyRouter.class);
    /** What an instance id may be to go into a CLI command and a map file line as it is. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]+");
    private static final Duration POLL = Duration.ofMillis(20);
    /** HAProxy's own bound on servers per backend is far higher; this keeps a runaway fleet from a huge config. */
    static final int MAX_SLOTS = 4095;

    public record Settings(Path binary, Path workDir, int slots, OptionalInt basePort, Duration connectTimeout,
            Duration requestTimeout) {
        public Settings {
            if (slots < 1 || slots > 4095) {
                // roundrobin serves at most 4095 servers per backend
                throw new IllegalArgumentException("stagecraft.router.haproxy.slots must be 1 to 4095, was " + slots);
            }
        }

        public static Settings of(RouterConfig config) {
            return new Settings(Path.of(config.haproxy().binary()), Path.of(config.haproxy().workDir()),
                    config.haproxy().slots(), config.basePort(), config.connectTimeout(), config.requestTimeout());
        }
    }

    private final Settings settings;
    private final HaproxyRunDir runDir;
    private final Path configFile;
    private final HaproxyConfigFile.Settings fileSettings;
    private final HaproxyProcess haproxy;
    private final Map<FleetKey, HaproxyFleet> fleets = new LinkedHashMap<>();
    private int opened;
    private boolean closed;

    /** Checks the binary and starts HAProxy with no fleet yet: a missing or unusable HAProxy fails here, at start-up. */
    public HaproxyRouter(Settings settings) {
        HaproxyProcess.requireUsable(settings.binary());
        this.settings = settings;
        this.runDir = HaproxyRunDir.create(settings.workDir());
        this.configFile = runDir.configFile();
        this.fileSettings = new HaproxyConfigFile.Settings(settings.connectTimeout(), settings.requestTimeout(),
                runDir.statsSocket());
        this.haproxy = new HaproxyProcess(settings.binary(), configFile, runDir.masterSocket(),
                fileSettings.statsSocket(), runDir.log());
        try {
            writeConfig();
            haproxy.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.infof("haproxy router: %s runs as pid %d with its config, sockets and log in %s", settings.binary(),
                haproxy.processes().master(), runDir);
    }

    @Override
    public synchronized String open(FleetKey fleet, OptionalInt port) {
        return fleetOf(fleet, port).url();
    }

    @Override
    public synchronized Optional<String> routerUrl(FleetKey fleet) {
        return Optional.ofNullable(fleets.get(fleet)).map(HaproxyFleet::url);
    }

    @Override
    public synchronized void update(FleetKey key, Map<String, Backend> backends) {
        // every id is checked before anything changes, so that a refused update changes nothing
        for (String id : backends.keySet()) {
            if (!SAFE_ID.matcher(id).matches()) {
                throw new RouterException("the haproxy router cannot name instance '" + id
                        + "' in its commands; ids are letters, digits and . _ : -");
            }
        }
        HaproxyFleet fleet = fleetOf(key);
        growIfNeeded(fleet, backends.keySet());
        // HAProxy takes one command at a time: raise weights before lowering others, never all at 0 between
        for (Map.Entry<String, Backend> entry : MakeBeforeBreak.order(backends)) {
            apply(fleet, fleet.assign(entry.getKey(), entry.getValue()));
        }
    }

    @Override
    public synchronized void remove(FleetKey key, Collection<String> instanceIds) {
        HaproxyFleet fleet = fleets.get(key);
        if (fleet == null) {
            return;
        }
        ensureRunning();
        for (String id : instanceIds) {
            Optional<HaproxyFleet.Slot> slot = fleet.slotOf(id);
            if (slot.isPresent()) {
                // maintenance first, then forget: if HAProxy refuses, the slot stays known and reads as it is
                haproxy.stats().set("set server " + fleet.server(slot.get()) + " state maint");
                fleet.release(id);
            }
        }
    }

    /**
     * Read from HAProxy: each instance's slot as HAProxy has it. A slot in maintenance, or one that HAProxy
     * points at another address than the instance's, is absent (no traffic for the instance: weight 0).
     */
    @Override
    public synchronized Map<String, Integer> appliedWeights(FleetKey key) {
        HaproxyFleet fleet = fleets.get(key);
        if (fleet == null) {
            return Map.of();
        }
        ensureRunning();
        Map<String, HaproxyServerState> servers = serverStates(fleet);
        Map<String, Integer> weights = new TreeMap<>();
        for (HaproxyFleet.Slot slot : fleet.slots()) {
            HaproxyServerState server = servers.get(slot.server());
            if (server != null && !server.inMaintenance() && server.pointsAt(slot.ip(), slot.backend().port())) {
                weights.put(slot.instanceId(), server.effectiveWeight());
            }
        }
        return weights;
    }

    @Override
    public Set<String> awaitIdle(FleetKey fleet, Collection<String> instanceIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<String> busy = busy(fleet, instanceIds);
            if (busy.isEmpty() || System.nanoTime() >= deadline) {
                return busy;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return busy;
            }
        }
    }

    @Override
    public synchronized void removeFleet(FleetKey key) {
        HaproxyFleet fleet = fleets.remove(key);
        if (fleet != null) {
            // HAProxy keeps running with no fleet: it is cheap, and the next fleet needs no start-up
            reload();
            LOG.infof("router of %s on %s closed", key, fleet.url());
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        fleets.clear();
        haproxy.stop();
        runDir.delete();
    }

    /** The HAProxy master and its workers, for tests that check that none is left behind. */
    synchronized List<ProcessHandle> processTree() {
        return haproxy.processTree();
    }

    /** {@code proxy/slotN} of an instance, for tests that change HAProxy behind the router's back. */
    synchronized Optional<String> serverOf(FleetKey key, String instanceId) {
        HaproxyFleet fleet = fleets.get(key);
        return fleet == null ? Optional.empty() : fleet.slotOf(instanceId).map(fleet::server);
    }

    /** The workers' admin socket, for tests that change HAProxy behind the router's back. */
    HaproxyCli statsSocket() {
        return haproxy.stats();
    }

    synchronized HaproxyProcesses processes() {
        return haproxy.processes();
    }

    HaproxyRunDir runDir() {
        return runDir;
    }

    private HaproxyFleet fleetOf(FleetKey key) {
        return fleetOf(key, OptionalInt.empty());
    }

    private HaproxyFleet fleetOf(FleetKey key, OptionalInt wanted) {
        requireWorker(key);
        ensureRunning();
        HaproxyFleet existing = fleets.get(key);
        if (existing != null) {
            return existing;
        }
        // A free port can be taken by another process before HAProxy binds it; then another one is tried.
        int attempts = wanted.isPresent() || settings.basePort().isPresent() ? 1 : 3;
        for (int attempt = 1;; attempt++) {
            int port = wanted.isPresent() ? wanted.getAsInt()
                    : settings.basePort().isPresent() ? settings.basePort().getAsInt() + opened : freePort();
            HaproxyFleet fleet = new HaproxyFleet(key, proxyName(key), port, settings.slots());
            fleets.put(key, fleet);
            try {
                long started = System.nanoTime();
                reload();
                opened++;
                LOG.infof("router of %s listens on %s (HAProxy proxy %s, reloaded in %d ms)", key, fleet.url(),
                        fleet.proxy(), (System.nanoTime() - started) / 1_000_000);
                return fleet;
            } catch (RouterException e) {
                fleets.remove(key);
                if (attempt >= attempts) {
                    throw new RouterException("cannot open the router of " + key + " on 127.0.0.1:" + port + ": "
                            + e.getMessage(), e);
                }
                LOG.warnf("cannot open the router of %s on port %d (%s); trying another port", key, port,
                        e.getMessage());
            }
        }
    }

    /** Sets one slot as memory has it: the map entry first, so that no answer is labelled with a former instance. */
    private void apply(HaproxyFleet fleet, HaproxyFleet.Slot slot) {
        HaproxyCli cli = haproxy.stats();
        String server = fleet.server(slot);
        cli.set("set map " + mapFile(fleet) + " " + slot.server() + " " + slot.instanceId());
        cli.set("set server " + server + " addr " + slot.ip() + " port " + slot.backend().port());
        // our weights (0-100) are HAProxy weights as they are (0-256); 0 takes the server out of roundrobin
        cli.set("set server " + server + " weight " + slot.backend().weight());
        cli.set("set server " + server + " state ready");
    }

    private Set<String> busy(FleetKey key, Collection<String> instanceIds) {
        synchronized (this) {
            HaproxyFleet fleet = fleets.get(key);
            if (fleet == null) {
                return Set.of();
            }
            requireWorker(key);
            ensureRunning();
            Map<String, Integer> sessions = new TreeMap<>(HaproxySessions.parse(
                    haproxy.stats().send("show stat " + fleet.proxy() + " 4 -1")));
            // an old worker still answers requests it took before a reload: they are in flight too
            for (long old : haproxy.processes().oldWorkers()) {
                haproxy.oldWorkerSessions(old, fleet.proxy()).forEach((server, n) -> sessions.merge(server, n,
                        Integer::sum));
            }
            Set<String> busy = new LinkedHashSet<>();
            for (String id : instanceIds) {
                fleet.slotOf(id).filter(slot -> sessions.getOrDefault(slot.server(), 0) > 0)
                        .ifPresent(slot -> busy.add(id));
            }
            return busy;
        }
    }

    /**
     * A fleet has no fixed size: when an update brings more new instances than it has free slots (the green pool of a
     * blue/green beside blue, a scale), its slots double (or grow to what is needed), at most {@link #MAX_SLOTS}, and
     * HAProxy reloads with the larger template: hitless, as every reload (the old worker finishes its requests).
     */
    private void growIfNeeded(HaproxyFleet fleet, Collection<String> instanceIds) {
        int needed = fleet.slotsNeededFor(instanceIds);
        if (needed <= fleet.freeSlots()) {
            return;
        }
        int used = fleet.slotCount() - fleet.freeSlots();
        int target = Math.min(MAX_SLOTS, Math.max(fleet.slotCount() * 2, used + needed));
        if (used + needed > target) {
            throw new RouterException("the haproxy router of " + fleet.key() + " cannot hold " + (used + needed)
                    + " instances: at most " + MAX_SLOTS);
        }
        int before = fleet.slotCount();
        long started = System.nanoTime();
        fleet.growTo(target);
        reload();
        LOG.infof("router of %s grew from %d to %d slots (HAProxy reloaded in %d ms)", fleet.key(), before, target,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Writes the config from memory, has HAProxy check it, and reloads it; then compares every fleet's slots
     * with memory and sets again those that differ (normally none, as the config carries them).
     */
    private void reload() {
        ensureRunning();
        Path candidate = writeFiles(configFile.resolveSibling("haproxy.cfg.next"));
        haproxy.check(candidate);
        move(candidate, configFile);
        haproxy.reload();
        for (HaproxyFleet fleet : fleets.values()) {
            reconcile(fleet);
        }
    }

    private void reconcile(HaproxyFleet fleet) {
        Map<String, HaproxyServerState> servers = serverStates(fleet);
        int reapplied = 0;
        for (HaproxyFleet.Slot slot : fleet.slots()) {
            HaproxyServerState server = servers.get(slot.server());
            if (server == null || server.inMaintenance() || !server.pointsAt(slot.ip(), slot.backend().port())
                    || server.effectiveWeight() != slot.backend().weight()) {
                apply(fleet, slot);
                reapplied++;
            }
        }
        if (reapplied > 0) {
            LOG.warnf("after a reload, %d slot(s) of %s differed from the router's memory and were set again",
                    reapplied, fleet.key());
        }
    }

    /** If HAProxy died, starts it again from memory: same ports, same slots, same weights. */
    private void ensureRunning() {
        if (closed) {
            throw new RouterException("the haproxy router is closed");
        }
        if (haproxy.isAlive()) {
            return;
        }
        LOG.errorf("HAProxy is gone (%s); starting it again from the router's memory", haproxy.logTail());
        haproxy.stop();
        writeConfig();
        haproxy.start();
    }

    private Map<String, HaproxyServerState> serverStates(HaproxyFleet fleet) {
        return HaproxyServerState.parse(haproxy.stats().send("show servers state " + fleet.proxy()));
    }

    private void writeConfig() {
        move(writeFiles(configFile.resolveSibling("haproxy.cfg.next")), configFile);
    }

    /** Writes every fleet's map file, and the config to {@code target}. */
    private Path writeFiles(Path target) {
        try {
            for (HaproxyFleet fleet : fleets.values()) {
                Files.writeString(mapFile(fleet), HaproxyConfigFile.renderMap(fleet), StandardCharsets.UTF_8);
            }
            Files.writeString(target, HaproxyConfigFile.render(fileSettings, fleets.values(), runDir.files()),
                    StandardCharsets.UTF_8);
            return target;
        } catch (IOException e) {
            throw new RouterException("cannot write HAProxy's config in " + runDir + ": " + e.getMessage(), e);
        }
    }

    private Path mapFile(HaproxyFleet fleet) {
        return HaproxyConfigFile.mapFile(runDir.files(), fleet);
    }

    /** {@code f<n>.<service>.<environment>}: unique, and readable in HAProxy's stats. */
    private String proxyName(FleetKey key) {
        return "f" + (opened + 1) + "." + nameable(key.service()) + "." + nameable(key.environment());
    }

    private static String nameable(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RouterException("cannot replace " + to + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new RouterException("no free loopback port: " + e.getMessage(), e);
        }
    }

    /** Every call talks to HAProxy over a socket and may wait: never on an event loop. */
    private static void requireWorker(FleetKey fleet) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("the haproxy router blocks to route " + fleet
                    + "; call it from a worker thread");
        }
    }
}
