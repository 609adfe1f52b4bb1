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
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this host's fleet routers running with the tables the controller gave them: starts each as a detached
 * process, records it, adopts it after the agent's own restart, restarts it with backoff when it ends, sets and
 * reads back its table on every {@link RouterCommand#SET_ROUTES}, and reports. Apart from the instances'
 * {@link Supervisor}: a drain waits here up to its timeout, and instances are not held up by it.
 *
 * <p>Everything that touches one router (its commands, its restart, its read-back) runs in that router's lane
 * ({@link LaneExecutor}): one at a time and in the order asked, so a router's record needs no lock and every change of
 * it is saved before it is reported; different fleets' routers change side by side. A timer thread only looks at the
 * routers (sync, heartbeat) and queues what one needs in its lane.
 */
final class RouterKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RouterKeeper.class);
    /** A fleet's router id, {@code <service>.<environment>}: also a file name. */
    static final Pattern VALID_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}\\.[a-z][a-z0-9-]{0,62}");
    private static final int REMEMBERED_COMMANDS = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * How many routers change at once. A change mostly waits: on HAProxy's runtime API, on a drain, on the disk (each
     * record is forced), on a process to start; one at a time, 25 fleets' tables on a host waited seconds for each other
     * (docs/performance.md). But a start or a reload is a process of its own (an HAProxy parsing its config, or a
     * router JVM) on the host's 2 cores, which its instances share: four at once keep the cores busy without queueing
     * a burst of starts in the kernel, where every fleet's change would wait behind them.
     */
    static final int PARALLEL_CHANGES = 4;

    private final AgentConfig config;
    private final RouterSettings settings;
    private final DurableJsonFiles<RouterHandle> records;
    /** Each kind of router, by {@link RouterHandle#kind()}; new routers are of {@link RouterSettings#kind()}. */
    private final Map<String, RouterEngine> engines;
    private final StatusSink status;
    /**
     * Held while a report is made: a lane's report of one router, or the heartbeat's snapshot of all of them, taken and
     * sent under it. Lanes change routers side by side with the heartbeat, and inventory-service takes the last report
     * of a router as its table: a snapshot taken before a change and sent after that change's report would put the
     * older table back (an instance just enabled read back at weight 0, and a good release rolled back).
     */
    private final Object reporting = new Object();
    /** The sync loop and the heartbeat: they only look, and queue each router's work in its lane. */
    private final OwnThread timer = new OwnThread("routers");
    private final LaneExecutor lanes;
    /**
     * Every router kept, by id; each entry replaced whole, and only from its router's lane (or the adoption, before
     * any lane runs), so that readers on other threads (the heartbeat, the metrics) see each router whole.
     */
    private final Map<String, KeptRouter> kept = new ConcurrentHashMap<>();
    /** Held while a router's ports are chosen and it is held with them ({@link #plan}). */
    private final Object portChoice = new Object();
    /** Lane work queued by the timer and not ended yet ({@code <what> <router id>}), so that it is queued once. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> appliedCommands = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED_COMMANDS;
                }
            });

    /**
     * One router as kept: its record, the table its process last answered (to a change or a read-back; not on disk:
     * read again after a restart) and that process's pid, and the status both make, built once per change. Only this
     * agent changes a router's table (the admin API takes its token), so that answer stays true while that process
     * runs, and a heartbeat reads back only the routers not answered by the process running now: reading and reporting
     * every table every heartbeat cost a third of a simulated host's CPU with one fleet of 10,000 backends
     * (docs/performance.md).
     */
    private record KeptRouter(RouterHandle handle, RouterAdmin.Table table, long answeredBy, RouterStatus status) {
        static KeptRouter of(RouterHandle handle) {
            return new KeptRouter(handle, null, 0, handle.status(null));
        }

        KeptRouter withHandle(RouterHandle newer) {
            return newer.equals(handle) ? this : new KeptRouter(newer, table, answeredBy, newer.status(table));
        }

        /** The table as answered by the process {@code pid}. */
        KeptRouter answered(RouterAdmin.Table answer, long pid) {
            return new KeptRouter(handle, answer, pid, handle.status(answer));
        }

        /** The table as last answered, no longer known to be the one the process running now routes. */
        KeptRouter unanswered() {
            return new KeptRouter(handle, table, 0, status);
        }

        /** No table: a new process, not asked yet. */
        KeptRouter withoutTable() {
            return new KeptRouter(handle, null, 0, handle.status(null));
        }

        boolean answeredByItsProcess() {
            return handle.pid() > 0 && handle.pid() == answeredBy;
        }
    }

    RouterKeeper(AgentConfig config, RouterSettings settings, ProcessLauncher launcher, StatusSink status) {
        this(config, settings, Map.of(RouterSettings.JAVA, new JavaRouterEngine(config, settings, launcher),
                RouterSettings.HAPROXY, new HaproxyRouterEngine(config, settings, launcher)), status, PARALLEL_CHANGES);
    }

    /** {@code engines}: each kind of router by {@link RouterHandle#kind()}; tests give their own. */
    RouterKeeper(AgentConfig config, RouterSettings settings, Map<String, RouterEngine> engines, StatusSink status,
            int parallelChanges) {
        this.config = config;
        this.settings = settings;
        this.records = new DurableJsonFiles<>(config.stateDir().resolve("routers"), RouterHandle.class);
        this.engines = Map.copyOf(engines);
        this.status = status;
        this.lanes = new LaneExecutor("router-lane", parallelChanges);
        LOG.info("new fleet routers are {}", RouterSettings.HAPROXY.equals(settings.kind())
                ? "HAProxy (" + settings.haproxyBinary() + ")"
                : "router processes (STAGECRAFT_AGENT_ROUTER_KIND=java, or no HAProxy 2.6+ at " + settings.haproxyBinary()
                        + ")");
    }

    /** Adopts the recorded routers (starting again any that ended meanwhile), then watches them and reports. */
    void start() {
        List<RouterHandle> recorded;
        try {
            recorded = records.loadAll();
        } catch (RuntimeException e) {
            LOG.error("adoption failed: {}", e.toString(), e);
            recorded = List.of();
        }
        List<CompletableFuture<Void>> adopted = new ArrayList<>();
        for (RouterHandle record : recorded) {
            adopted.add(lanes.submit(record.routerId(), guarded("adoption of router " + record.routerId(),
                    () -> adopt(record))));
        }
        CompletableFuture.allOf(adopted.toArray(CompletableFuture[]::new)).join();
        timer.loop("router sync", config.syncPeriod(), this::sync);
        timer.beat("router heartbeat", config.heartbeatInterval(), this::heartbeat);
    }

    /**
     * Queues the command in its router's lane; the future ends once it is applied, saved and reported (the consumer
     * commits after). A command that fails is logged, and its future ends normally: it is not tried again.
     */
    CompletableFuture<Void> apply(RouterCommand command) {
        if (!isValid(command)) {
            LOG.error("router command {} is not valid, skipped: {}", command.commandId(), command);
            return CompletableFuture.completedFuture(null);
        }
        return lanes.submit(command.routerId(), guarded("router command " + command.commandId(),
                () -> applyNow(command)));
    }

    private void adopt(RouterHandle record) {
        if (InstanceHandle.STOP.equals(record.desired())) {
            forget(record, null);
        } else if (record.isAlive()) {
            LOG.info("router {} (pid {}): adopted", record.routerId(), record.pid());
            kept.put(record.routerId(), KeptRouter.of(record));
            bringUp(record, null);
        } else if (record.pid() > 0) {
            // The entry point of a fleet is down: start it again now, from the table on disk.
            LOG.info("router {} (pid {}) ended while the agent was away; starting it again", record.routerId(),
                    record.pid());
            kept.put(record.routerId(), KeptRouter.of(record));
            launch(record.crashed("process " + record.pid() + " ended while the agent was away",
                    settings.backoff(), Instant.now()), true, null);
        } else {
            kept.put(record.routerId(), KeptRouter.of(record));
        }
    }

    private void applyNow(RouterCommand command) {
        String id = command.routerId();
        KeptRouter router = kept.get(id);
        RouterHandle held = router == null ? null : router.handle();
        boolean seen = command.commandId() != null && appliedCommands.containsKey(command.commandId());
        if (RouterCommand.REMOVE_ROUTER.equals(command.type())) {
            if (held != null && !seen) {
                forget(held, command.commandId());
            } else {
                report(() -> held == null ? RouterHandle.gone(id, Instant.now()) : router.status(),
                        command.commandId());
            }
        } else if (held == null) {
            RouterSpec spec = command.router();
            RouterHandle planned = plan(spec);
            // Recorded before launching: a crash in between leaves a record to start from, not a stray process.
            records.save(id, planned);
            launch(planned, false, command.commandId());
        } else if (seen || command.router().generation() < held.spec().generation()) {
            // A repeat, or older than what is held: the table stays; read it back and answer with it.
            readBack(held);
            report(() -> kept.get(id).status(), command.commandId());
        } else {
            RouterHandle newer = held.withSpec(command.router());
            if (!newer.isAlive() && command.router().port() != held.port()) {
                // Not routing (say its port was taken while it was down): it may move to the port asked for now.
                newer = moved(newer, command.router().port());
            }
            String kind = RouterSettings.kindFor(held.kind(), command.router().backends().size());
            if (!kind.equals(held.kind())) {
                changeKind(newer, kind, command.commandId());
            } else if (newer.isAlive()) {
                records.save(id, newer);
                hold(newer);
                bringUp(newer, command.commandId());
            } else {
                records.save(id, newer);
                hold(newer);
                launch(newer, InstanceStatus.CRASH_LOOP_BACKOFF.equals(newer.state()), command.commandId());
            }
        }
        if (command.commandId() != null) {
            appliedCommands.put(command.commandId(), Boolean.TRUE);
        }
    }

    /**
     * A new router, held at once with its ports: routers are planned in several lanes at once, and a free port is free
     * until someone binds it, so each port is checked against the other routers' under one lock.
     */
    private RouterHandle plan(RouterSpec spec) {
        synchronized (portChoice) {
            int port = spec.port() > 0 ? spec.port() : freePort(config.hostAddress());
            RouterHandle planned = RouterHandle.planned(spec, config.hostAddress(), port, freePort("127.0.0.1"),
                    newToken(), RouterSettings.kindFor(settings.kind(), spec.backends().size()), Instant.now());
            kept.put(spec.routerId(), KeptRouter.of(planned));
            return planned;
        }
    }

    /** The router on the port asked for, or on a free one (held at once, as in {@link #plan}). */
    private RouterHandle moved(RouterHandle router, int port) {
        synchronized (portChoice) {
            RouterHandle newer = router.onPort(port > 0 ? port : freePort(config.hostAddress()));
            hold(newer);
            return newer;
        }
    }

    /** A free port that no other router kept here has (only under {@link #portChoice}). */
    private int freePort(String address) {
        Set<Integer> taken = new HashSet<>();
        kept.values().forEach(r -> {
            taken.add(r.handle().port());
            taken.add(r.handle().adminPort());
        });
        for (int tries = 0; tries < 10; tries++) {
            int port = Ports.freePort(address);
            if (taken.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on " + address + " that no other router has");
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
        hold(replacement);
        if (router.isAlive()) {
            engine(router).terminate(router);
        }
        engine(router).forget(router.routerId());
        kept.computeIfPresent(router.routerId(), (id, r) -> r.withoutTable());
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
            RouterAdmin.Table answer = engine(router).put(router);
            kept.computeIfPresent(router.routerId(), (id, r) -> r.answered(answer, router.pid()));
        } catch (IOException e) {
            kept.computeIfPresent(router.routerId(), (id, r) -> r.unanswered());
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
            kept.computeIfPresent(router.routerId(), (id, r) -> r.answered(new RouterAdmin.Table(read.generation(),
                    read.backends(), r.table() == null ? null : r.table().busy()), router.pid()));
        } catch (IOException e) {
            LOG.warn("router {}: cannot read its table back: {}", router.routerId(), e.getMessage());
        }
    }

    /** Queues, in its lane, a restart of each router that ended, or whose backoff is over. */
    private void sync() {
        Instant now = Instant.now();
        for (KeptRouter router : kept.values()) {
            if (needsSync(router.handle(), now)) {
                once("sync", router.handle().routerId(), () -> syncNow(router.handle().routerId()));
            }
        }
    }

    private static boolean needsSync(RouterHandle router, Instant now) {
        String state = router.state();
        return ((InstanceStatus.RUNNING.equals(state) || InstanceStatus.STARTING.equals(state)) && !router.isAlive())
                || (InstanceStatus.CRASH_LOOP_BACKOFF.equals(state) && !now.isBefore(router.nextRestartAt()));
    }

    /** In the router's lane: what the timer saw may have changed meanwhile (a command may have restarted it). */
    private void syncNow(String routerId) {
        KeptRouter router = kept.get(routerId);
        Instant now = Instant.now();
        if (router == null || !needsSync(router.handle(), now)) {
            return;
        }
        RouterHandle handle = router.handle();
        if (InstanceStatus.CRASH_LOOP_BACKOFF.equals(handle.state())) {
            launch(handle, true, null);
        } else {
            kept.computeIfPresent(routerId, (id, r) -> r.withoutTable());
            keep(handle.crashed(engine(handle).exitOf(handle), settings.backoff(), now), null);
        }
    }

    /** Reports one router as it is when the report is made ({@link #reporting}). */
    private void report(java.util.function.Supplier<RouterStatus> now, String commandId) {
        synchronized (reporting) {
            status.routerChanged(now.get(), commandId);
        }
    }

    /** Every router kept, as of now. */
    List<RouterHandle> view() {
        return sorted().stream().map(KeptRouter::handle).toList();
    }

    /**
     * Reports every router with its table as last answered, and queues a read-back for each whose running process has
     * not answered yet (its table could not be set, or it was just adopted or restarted): its answer is reported when
     * it comes, and goes out with the next heartbeat.
     */
    void heartbeat() {
        kept.values().stream().filter(r -> !r.answeredByItsProcess() && r.handle().isAlive())
                .forEach(r -> once("read-back", r.handle().routerId(), () -> readBackNow(r.handle().routerId())));
        synchronized (reporting) { // the snapshot is taken here, under the lock, not before it
            status.routers(sorted().stream().map(KeptRouter::status).toList());
        }
    }

    /** A read-back the heartbeat asked for; a table newly answered is reported at once, as every change is. */
    private void readBackNow(String routerId) {
        KeptRouter router = kept.get(routerId);
        if (router != null && !router.answeredByItsProcess()) {
            readBack(router.handle());
            KeptRouter after = kept.get(routerId);
            if (after != null && after.answeredByItsProcess() && !after.status().equals(router.status())) {
                report(() -> kept.get(routerId).status(), null);
            }
        }
    }

    private List<KeptRouter> sorted() {
        return kept.values().stream().sorted(Comparator.comparing(r -> r.handle().routerId())).toList();
    }

    /** Queues {@code task} in the router's lane unless the same work is queued there already. */
    private void once(String what, String routerId, Runnable task) {
        String key = what + " " + routerId;
        if (queued.add(key)) {
            lanes.submit(routerId, guarded(key, () -> {
                try {
                    task.run();
                } finally {
                    queued.remove(key);
                }
            }));
        }
    }

    /** Holds the router's new handle, with the table it had. */
    private void hold(RouterHandle router) {
        kept.compute(router.routerId(), (id, r) -> r == null ? KeptRouter.of(router) : r.withHandle(router));
    }

    /** Saves and holds the handle; reports it if it changed, or if a command asks for the answer. */
    private void keep(RouterHandle router, String commandId) {
        keep(router, commandId, false);
    }

    private void keep(RouterHandle router, String commandId, boolean report) {
        KeptRouter held = kept.get(router.routerId());
        RouterHandle before = held == null ? null : held.handle();
        hold(router);
        if (!router.equals(before)) {
            records.save(router.routerId(), router);
        }
        if (before == null || !before.state().equals(router.state()) || before.pid() != router.pid()) {
            LOG.info("router {} {} pid {} on {}:{} restarts {}{}", router.routerId(), router.state(), router.pid(),
                    router.address(), router.port(), router.restarts(),
                    router.lastExit() == null ? "" : " (last exit: " + router.lastExit() + ")");
        }
        if (report || commandId != null || !router.equals(before)) {
            report(() -> kept.get(router.routerId()).status(), commandId);
        }
    }

    /** Stop, then forget: the record says STOP until the process is gone, so a crash mid-way finishes it later. */
    private void forget(RouterHandle router, String commandId) {
        RouterHandle stopping = router.stopping();
        records.save(router.routerId(), stopping);
        engine(stopping).terminate(stopping);
        engine(router).forget(router.routerId());
        records.delete(router.routerId());
        kept.remove(router.routerId());
        LOG.info("router {} stopped and forgotten", router.routerId());
        report(() -> RouterHandle.gone(router.routerId(), Instant.now()), commandId);
    }

    /** The task with its failure logged: a failed command or restart ends, and its lane goes on. */
    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{} failed: {}", what, e.toString(), e);
            }
        };
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
        timer.close();
        lanes.close();
        engines.values().forEach(RouterEngine::close);
    }
}
