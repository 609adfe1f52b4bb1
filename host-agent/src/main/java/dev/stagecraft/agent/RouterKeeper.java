package dev.stagecraft.agent;

import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.RouteBackend;
import dev.stagecraft.contracts.RouterCommand;
import dev.stagecraft.contracts.RouterSpec;
import dev.stagecraft.contracts.RouterStatus;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this host's fleet routers running with the tables the controller gave them: starts each as a detached
 * process, records it, adopts it after the agent's own restart, restarts it with backoff when it ends, sets and
 * reads back its table on every {@link RouterCommand#SET_ROUTES}, and reports. Its own thread, apart from the
 * instances' {@link Supervisor}: a drain waits here up to its timeout, and instances are not held up by it.
 */
final class RouterKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RouterKeeper.class);
    /** A fleet's router id, {@code <service>.<environment>}: also a file name. */
    static final Pattern VALID_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}\\.[a-z][a-z0-9-]{0,62}");
    private static final int REMEMBERED_COMMANDS = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AgentConfig config;
    private final RouterSettings settings;
    private final DurableJsonFiles<RouterHandle> records;
    /** Each kind of router, by {@link RouterHandle#kind()}; new routers are of {@link RouterSettings#kind()}. */
    private final Map<String, RouterEngine> engines;
    private final StatusSink status;
    private final OwnThread thread = new OwnThread("routers");
    private final Map<String, RouterHandle> handles = new LinkedHashMap<>();
    /** The handles as last changed, for readers on other threads (the metrics); replaced whole, never changed. */
    private volatile List<RouterHandle> view = List.of();
    /** What each router answered when its table was last read back; not on disk: it is read again after a restart. */
    private final Map<String, RouterAdmin.Table> applied = new HashMap<>();
    /**
     * The pid of the router process whose answer {@link #applied} holds. Only this agent changes a router's table (the
     * admin API takes its token), so that answer stays true while that process runs, and a heartbeat reads back only
     * the routers not answered by the process running now: reading and reporting every table every heartbeat cost a
     * third of a simulated host's CPU with one fleet of 10,000 backends (docs/performance.md).
     */
    private final Map<String, Long> answeredBy = new HashMap<>();
    /** The status last reported for each router and what it was built from: an unchanged router's is reused. */
    private final Map<String, Reported> reported = new HashMap<>();

    private record Reported(RouterHandle handle, RouterAdmin.Table table, RouterStatus status) {
    }
    private final Map<String, Boolean> appliedCommands = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_COMMANDS;
        }
    };

    RouterKeeper(AgentConfig config, RouterSettings settings, ProcessLauncher launcher, StatusSink status) {
        this.config = config;
        this.settings = settings;
        this.records = new DurableJsonFiles<>(config.stateDir().resolve("routers"), RouterHandle.class);
        this.engines = Map.of(RouterSettings.JAVA, new JavaRouterEngine(config, settings, launcher),
                RouterSettings.HAPROXY, new HaproxyRouterEngine(config, settings, launcher));
        this.status = status;
        LOG.info("new fleet routers are {}", RouterSettings.HAPROXY.equals(settings.kind())
                ? "HAProxy (" + settings.haproxyBinary() + ")"
                : "router processes (STAGECRAFT_AGENT_ROUTER_KIND=java, or no HAProxy 2.6+ at " + settings.haproxyBinary()
                        + ")");
    }

    /** Adopts the recorded routers (starting again any that ended meanwhile), then watches them and reports. */
    void start() {
        thread.runGuardedAndWait("adoption", this::adoptRecorded);
        thread.loop("router sync", config.syncPeriod(), this::sync);
        thread.beat("router heartbeat", config.heartbeatInterval(), this::heartbeat);
    }

    /** Applies one command and returns once it is applied, saved and reported (the consumer commits after). */
    void apply(RouterCommand command) {
        thread.runGuardedAndWait("router command " + command.commandId(), () -> applyNow(command));
    }

    private void adoptRecorded() {
        for (RouterHandle record : records.loadAll()) {
            if (InstanceHandle.STOP.equals(record.desired())) {
                forget(record, null);
            } else if (record.isAlive()) {
                LOG.info("router {} (pid {}): adopted", record.routerId(), record.pid());
                handles.put(record.routerId(), record);
                bringUp(record, null);
            } else if (record.pid() > 0) {
                // The entry point of a fleet is down: start it again now, from the table on disk.
                LOG.info("router {} (pid {}) ended while the agent was away; starting it again", record.routerId(),
                        record.pid());
                handles.put(record.routerId(), record);
                launch(record.crashed("process " + record.pid() + " ended while the agent was away",
                        settings.backoff(), Instant.now()), true, null);
            } else {
                handles.put(record.routerId(), record);
            }
        }
    }

    private void applyNow(RouterCommand command) {
        if (!isValid(command)) {
            LOG.error("router command {} is not valid, skipped: {}", command.commandId(), command);
            return;
        }
        String id = command.routerId();
        RouterHandle held = handles.get(id);
        boolean seen = command.commandId() != null && appliedCommands.containsKey(command.commandId());
        if (RouterCommand.REMOVE_ROUTER.equals(command.type())) {
            if (held != null && !seen) {
                forget(held, command.commandId());
            } else {
                status.routerChanged(held == null ? RouterHandle.gone(id, Instant.now()) : held.status(applied.get(id)),
                        command.commandId());
            }
        } else if (held == null) {
            RouterSpec spec = command.router();
            int port = spec.port() > 0 ? spec.port() : Ports.freePort(config.hostAddress());
            RouterHandle planned = RouterHandle.planned(spec, config.hostAddress(), port, Ports.freePort("127.0.0.1"),
                    newToken(), RouterSettings.kindFor(settings.kind(), spec.backends().size()), Instant.now());
            // Recorded before launching: a crash in between leaves a record to start from, not a stray process.
            records.save(id, planned);
            handles.put(id, planned);
            launch(planned, false, command.commandId());
        } else if (seen || command.router().generation() < held.spec().generation()) {
            // A repeat, or older than what is held: the table stays; read it back and answer with it.
            readBack(held);
            status.routerChanged(held.status(applied.get(id)), command.commandId());
        } else {
            RouterHandle newer = held.withSpec(command.router());
            if (!newer.isAlive() && command.router().port() != held.port()) {
                // Not routing (say its port was taken while it was down): it may move to the port asked for now.
                newer = newer.onPort(command.router().port() > 0 ? command.router().port()
                        : Ports.freePort(config.hostAddress()));
            }
            String kind = RouterSettings.kindFor(held.kind(), command.router().backends().size());
            if (!kind.equals(held.kind())) {
                changeKind(newer, kind, command.commandId());
            } else if (newer.isAlive()) {
                records.save(id, newer);
                handles.put(id, newer);
                bringUp(newer, command.commandId());
            } else {
                records.save(id, newer);
                handles.put(id, newer);
                launch(newer, InstanceStatus.CRASH_LOOP_BACKOFF.equals(newer.state()), command.commandId());
            }
        }
        if (command.commandId() != null) {
            appliedCommands.put(command.commandId(), Boolean.TRUE);
        }
    }

    /**
     * The table outgrew the router's kind ({@link RouterSettings#kindFor}): its process is stopped and one of the new
     * kind started on the same port with the new table. Between the two the fleet's port answers nothing (about a
     * second, a router process's start), and requests in flight through the old one are cut: the price of a table
     * that the old kind would refuse outright. Recorded before the stop, so that an agent that dies in between
     * starts the new kind.
     */
    private void changeKind(RouterHandle router, String kind, String commandId) {
        LOG.warn("router {}: a table of {} backends is more than a {} router holds; replacing it with a {} router on"
                + " port {}", router.routerId(), router.spec().backends().size(), router.kind(), kind, router.port());
        RouterHandle replacement = router.ofKind(kind, Instant.now());
        records.save(router.routerId(), replacement);
        handles.put(router.routerId(), replacement);
        if (router.isAlive()) {
            engine(router).terminate(router);
        }
        engine(router).forget(router.routerId());
        applied.remove(router.routerId());
        answeredBy.remove(router.routerId());
        launch(replacement, false, commandId);
    }

    private RouterEngine engine(RouterHandle router) {
        RouterEngine engine = engines.get(router.kind());
        if (engine == null) {
            throw new IllegalStateException("router " + router.routerId() + " is of an unknown kind " + router.kind());
        }
        return engine;
    }

    private static boolean isValid(RouterCommand c) {
        if (c.routerId() == null || !VALID_ID.matcher(c.routerId()).matches()) {
            return false;
        }
        if (RouterCommand.REMOVE_ROUTER.equals(c.type())) {
            return true;
        }
        RouterSpec spec = c.router();
        return RouterCommand.SET_ROUTES.equals(c.type()) && spec != null && c.routerId().equals(spec.routerId())
                && c.routerId().equals(RouterSpec.idOf(spec.service(), spec.environment())) && spec.port() >= 0
                && spec.port() <= 65_535 && spec.backends().values().stream().allMatch(RouterKeeper::isValid);
    }

    private static boolean isValid(RouteBackend b) {
        return b != null && b.address() != null && b.address().lastIndexOf(':') > 0 && b.weight() >= 0
                && b.weight() <= 100;
    }

    /** Launches the router, waits until its admin API answers, then sets its table (see {@link #bringUp}). */
    private void launch(RouterHandle router, boolean isRestart, String commandId) {
        Instant now = Instant.now();
        RouterHandle started;
        try {
            ProcessLauncher.Launched launched = engine(router).launch(router);
            started = router.launched(launched.pid(), launched.startTicks(), isRestart, now);
        } catch (IOException | RuntimeException e) {
            keep(router.failed("cannot launch the router: " + e.getMessage(), now), commandId);
            return;
        }
        keep(started, null);
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (!engine(started).isLive(started)) {
            if (!started.isAlive()) {
                keep(started.crashed(engine(started).exitOf(started) + " (see logs/router-" + started.routerId() + ".log)",
                        settings.backoff(), Instant.now()), commandId);
                return;
            }
            if (System.nanoTime() > deadline) {
                engine(started).terminate(started);
                keep(started.crashed("did not answer on its admin port within " + settings.startTimeout(),
                        settings.backoff(), Instant.now()), commandId);
                return;
            }
            sleep(50);
        }
        bringUp(started, commandId);
    }

    /**
     * Sets the handle's table and reports the router RUNNING with the table it answered. The answer to a table is
     * the router's read-back (the table it routes after the change, {@link RouterEngine#put}): a second read of the
     * whole table would only repeat it (10,000 backends at scale, twice per weight change).
     */
    private void bringUp(RouterHandle router, String commandId) {
        String why = null;
        try {
            applied.put(router.routerId(), engine(router).put(router));
            answeredBy.put(router.routerId(), router.pid());
        } catch (IOException e) {
            answeredBy.remove(router.routerId());
            why = "cannot set its table: " + e.getMessage();
            LOG.warn("router {}: {}", router.routerId(), why);
        }
        // Always reported: the table read back is news even when the handle did not change.
        keep(router.running(Instant.now(), why), commandId, true);
    }

    private void readBack(RouterHandle router) {
        if (!router.isAlive()) {
            return;
        }
        try {
            RouterAdmin.Table read = engine(router).get(router);
            RouterAdmin.Table before = applied.get(router.routerId());
            applied.put(router.routerId(), new RouterAdmin.Table(read.generation(), read.backends(),
                    before == null ? null : before.busy()));
            answeredBy.put(router.routerId(), router.pid());
        } catch (IOException e) {
            LOG.warn("router {}: cannot read its table back: {}", router.routerId(), e.getMessage());
        }
    }

    private void sync() {
        for (RouterHandle router : new ArrayList<>(handles.values())) {
            Instant now = Instant.now();
            String state = router.state();
            if ((InstanceStatus.RUNNING.equals(state) || InstanceStatus.STARTING.equals(state)) && !router.isAlive()) {
                applied.remove(router.routerId());
                keep(router.crashed(engine(router).exitOf(router), settings.backoff(), now), null);
            } else if (InstanceStatus.CRASH_LOOP_BACKOFF.equals(state) && !now.isBefore(router.nextRestartAt())) {
                launch(router, true, null);
            }
        }
    }

    /** Every router kept, as of the last change or heartbeat. */
    List<RouterHandle> view() {
        return view;
    }

    private void heartbeat() {
        view = List.copyOf(handles.values());
        handles.values().stream().filter(r -> !Long.valueOf(r.pid()).equals(answeredBy.get(r.routerId())))
                .forEach(this::readBack);
        status.routers(handles.values().stream().map(this::statusOf).toList());
    }

    /** The router as reported, with its table as last answered; built again only when either changed. */
    private RouterStatus statusOf(RouterHandle router) {
        RouterAdmin.Table table = applied.get(router.routerId());
        Reported last = reported.get(router.routerId());
        if (last != null && last.handle() == router && last.table() == table) {
            return last.status();
        }
        RouterStatus built = router.status(table);
        reported.put(router.routerId(), new Reported(router, table, built));
        return built;
    }

    /** Saves and holds the handle; reports it if it changed, or if a command asks for the answer. */
    private void keep(RouterHandle router, String commandId) {
        keep(router, commandId, false);
    }

    private void keep(RouterHandle router, String commandId, boolean report) {
        RouterHandle before = handles.put(router.routerId(), router);
        if (!router.equals(before)) {
            records.save(router.routerId(), router);
        }
        view = List.copyOf(handles.values());
        if (before == null || !before.state().equals(router.state()) || before.pid() != router.pid()) {
            LOG.info("router {} {} pid {} on {}:{} restarts {}{}", router.routerId(), router.state(), router.pid(),
                    router.address(), router.port(), router.restarts(),
                    router.lastExit() == null ? "" : " (last exit: " + router.lastExit() + ")");
        }
        if (report || commandId != null || !router.equals(before)) {
            status.routerChanged(statusOf(router), commandId);
        }
    }

    /** Stop, then forget: the record says STOP until the process is gone, so a crash mid-way finishes it later. */
    private void forget(RouterHandle router, String commandId) {
        RouterHandle stopping = router.stopping();
        records.save(router.routerId(), stopping);
        engine(stopping).terminate(stopping);
        engine(router).forget(router.routerId());
        records.delete(router.routerId());
        handles.remove(router.routerId());
        view = List.copyOf(handles.values());
        applied.remove(router.routerId());
        answeredBy.remove(router.routerId());
        reported.remove(router.routerId());
        LOG.info("router {} stopped and forgotten", router.routerId());
        status.routerChanged(RouterHandle.gone(router.routerId(), Instant.now()), commandId);
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops keeping; never the routers, which keep routing for the next agent to adopt. */
    @Override
    public void close() {
        thread.close();
        engines.values().forEach(RouterEngine::close);
    }
}
