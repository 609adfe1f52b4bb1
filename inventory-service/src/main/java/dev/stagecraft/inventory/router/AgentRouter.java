package dev.stagecraft.inventory.router;

import dev.stagecraft.router.RouterException;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.stagecraft.contracts.RouteBackend;
import dev.stagecraft.contracts.RouterCommand;
import dev.stagecraft.contracts.RouterSpec;
import dev.stagecraft.contracts.RouterStatus;
import dev.stagecraft.inventory.agent.HostCommandSender;
import dev.stagecraft.inventory.agent.HostDirectory;
import dev.stagecraft.inventory.agent.HostDirectory.Host;
import dev.stagecraft.inventory.agent.RouterReports;
import dev.stagecraft.inventory.agent.RouterReports.Observed;
import dev.stagecraft.router.Backend;
import dev.stagecraft.router.FleetKey;
import org.jboss.logging.Logger;

/**
 * Fleet routers in the data plane (agent driver): each fleet's entry point is a router process under a host agent,
 * which keeps routing at its last table while this service is away and outlives it. Every change sends the fleet's
 * whole table ({@link RouterCommand#SET_ROUTES}, a new generation) to the router's host and returns once the agent has
 * answered with the table it read back from the router; {@link #appliedWeights} is that read-back. A table that takes
 * an instance to weight 0 is confirmed only once the router has no request in flight to it (or the drain timeout
 * passed: {@link #awaitIdle} then names it), so the drain happens where the requests are.
 *
 * <p>After a restart of this service, {@link #open} takes over the router the agents report (same host, same port,
 * same table) instead of starting one.
 */
public class AgentRouter implements TrafficRouter {
    private static final Logger LOG = Logger.getLogger(AgentRouter.class);

    /** {@code answerTimeout}: how long an agent may take to answer a table, besides the drain timeout. */
    public record Settings(Duration answerTimeout, Duration drainTimeout) {
    }

    /** What this service last asked of a fleet's router: where it runs and its whole table. */
    private record Desired(String hostId, String url, int port, long generation, Map<String, Backend> table,
            Set<String> busy) {
    }

    private final HostDirectory hosts;
    private final RouterReports reports;
    private final HostCommandSender commands;
    private final Settings settings;
    private final Map<FleetKey, Desired> fleets = new ConcurrentHashMap<>();
    private final Map<FleetKey, Object> locks = new ConcurrentHashMap<>();

    public AgentRouter(HostDirectory hosts, RouterReports reports, HostCommandSender commands, Settings settings) {
        this.hosts = hosts;
        this.reports = reports;
        this.commands = commands;
        this.settings = settings;
    }

    @Override
    public String open(FleetKey fleet, OptionalInt port) {
        synchronized (lock(fleet)) {
            return opened(fleet, port).url();
        }
    }

    private Desired opened(FleetKey fleet, OptionalInt port) {
        Desired current = current(fleet);
        if (current != null) {
            return current;
        }
        Host host = place(fleet);
        Desired started = push(fleet, new Desired(host.hostId(), null, port.orElse(0), 0, Map.of(), Set.of()), Map.of());
        LOG.infof("router of %s started on host %s at %s", fleet, started.hostId(), started.url());
        return started;
    }

    /**
     * What this service last asked of the fleet's router, or the router as its agent reports it when that is newer: a
     * router that outlived this service is taken over (same host, same port, same table), and a table another replica
     * of this service sent since (a higher generation) replaces the one held here, so that the next change builds on
     * it rather than sending an older table back. Null when no router runs. Called with the fleet's lock held.
     */
    private Desired current(FleetKey fleet) {
        Desired held = fleets.get(fleet);
        Optional<Observed> running = reports.get(id(fleet)).filter(Observed::isRunning);
        if (running.isEmpty() || (held != null && running.get().status().generation() <= held.generation())) {
            return held;
        }
        RouterStatus s = running.get().status();
        Map<String, Backend> table = new TreeMap<>();
        s.backends().forEach((id, b) -> table.put(id, new Backend(b.address(), b.weight())));
        Desired adopted = new Desired(running.get().hostId(), s.url(), s.port(), s.generation(), table,
                Set.copyOf(s.busy()));
        fleets.put(fleet, adopted);
        if (held == null) {
            LOG.infof("took over the router of %s on host %s at %s (pid %d, generation %d, %d backends)", fleet,
                    adopted.hostId(), adopted.url(), s.pid(), s.generation(), table.size());
        } else {
            LOG.infof("the router of %s has a newer table than this replica sent (generation %d > %d, %d backends),"
                    + " on host %s: continuing from it", fleet, s.generation(), held.generation(), table.size(),
                    adopted.hostId());
        }
        return adopted;
    }

    /** The live host with the fewest routers (ties: the lowest host id). */
    private Host place(FleetKey fleet) {
        Map<String, Integer> counts = reports.countByHost();
        return hosts.alive().stream().min(Comparator.<Host>comparingInt(h -> counts.getOrDefault(h.hostId(), 0))
                .thenComparing(Host::hostId)).orElseThrow(() -> new RouterException("cannot open the router of "
                        + fleet + ": no host agent is alive (no heartbeat on stagecraft.host-status)"));
    }

    @Override
    public Optional<String> routerUrl(FleetKey fleet) {
        Desired held = fleets.get(fleet);
        Optional<Observed> reported = reports.get(id(fleet));
        // another replica may have moved the router since this one last changed it: the newer generation says where
        if (held != null && reported.map(o -> o.status().generation() <= held.generation() || !o.isRunning())
                .orElse(true)) {
            return Optional.of(held.url());
        }
        return reported.map(o -> o.status().url());
    }

    @Override
    public void update(FleetKey fleet, Map<String, Backend> backends) {
        synchronized (lock(fleet)) {
            Desired held = live(fleet, opened(fleet, OptionalInt.empty()));
            if (alreadyRouted(fleet, held, backends)) {
                return;
            }
            Map<String, Backend> table = new TreeMap<>(held.table());
            table.putAll(backends);
            push(fleet, held, table);
        }
    }

    /**
     * Whether the change changes nothing: every backend is in the table last asked for with this address and weight,
     * and the router's own read-back at that table's generation says so too. A step that puts a restarted instance
     * back at weight 0 at the address it had is such a change; sending the whole table again (10,000 backends at
     * scale) and reading it back would confirm what the read-back confirms already. Anything else is sent.
     */
    private boolean alreadyRouted(FleetKey fleet, Desired held, Map<String, Backend> backends) {
        if (held == null || !RouteChange.changesNothing(held.table(), backends)) {
            return false;
        }
        return reports.get(id(fleet)).filter(Observed::isRunning)
                .filter(o -> o.status().generation() == held.generation())
                .map(o -> RouteChange.changesNothing(routed(o.status()), backends)).orElse(false);
    }

    private static Map<String, Backend> routed(RouterStatus status) {
        Map<String, Backend> routed = new java.util.HashMap<>();
        status.backends().forEach((id, b) -> routed.put(id, new Backend(b.address(), b.weight())));
        return routed;
    }

    @Override
    public void remove(FleetKey fleet, Collection<String> instanceIds) {
        synchronized (lock(fleet)) {
            Desired held = current(fleet);
            if (held == null || instanceIds.stream().noneMatch(held.table()::containsKey)) {
                return;
            }
            held = live(fleet, held);
            Map<String, Backend> table = new TreeMap<>(held.table());
            table.keySet().removeAll(Set.copyOf(instanceIds)); // a list's contains() would make this quadratic
            push(fleet, held, table);
        }
    }

    @Override
    public Map<String, Integer> appliedWeights(FleetKey fleet) {
        Map<String, Integer> weights = new TreeMap<>();
        reports.get(id(fleet)).ifPresent(o -> o.status().backends().forEach((id, b) -> weights.put(id, b.weight())));
        return weights;
    }

    /** The drain happened with the weight change that set them to 0: these are the ones still busy when it ended. */
    @Override
    public Set<String> awaitIdle(FleetKey fleet, Collection<String> instanceIds, Duration timeout) {
        Desired held = fleets.get(fleet);
        Set<String> busy = new HashSet<>(instanceIds);
        busy.retainAll(held == null ? Set.of() : held.busy());
        return busy;
    }

    @Override
    public void removeFleet(FleetKey fleet) {
        synchronized (lock(fleet)) {
            Desired held = fleets.remove(fleet);
            Optional<String> hostId = Optional.ofNullable(held).map(Desired::hostId)
                    .or(() -> reports.get(id(fleet)).map(Observed::hostId));
            if (hostId.isPresent()) {
                String commandId = UUID.randomUUID().toString();
                commands.send(RouterCommand.remove(commandId, hostId.get(), id(fleet)));
                if (awaitAnswer(commandId, settings.answerTimeout()) == null) {
                    LOG.warnf("host %s did not confirm the removal of the router of %s", hostId.get(), fleet);
                }
            }
        }
    }

    /**
     * A router lives on one host: when that host stops heartbeating (its agent, its instances and its router are
     * presumed gone), the router is started on the live host with the fewest routers, on the same port and with the
     * whole table it was last given, and the old host is told to remove it (applied if that host ever comes back).
     * The routerUrl keeps its port but names the new host's address. With no live host at all nothing moves (this
     * service is more likely deaf than every host dead). A move that fails is logged and tried again next time.
     */
    @Override
    public Map<FleetKey, String> moveOffLostHosts() {
        Map<FleetKey, String> moved = new TreeMap<>(Comparator.comparing(FleetKey::toString));
        for (FleetKey fleet : Set.copyOf(fleets.keySet())) {
            moveOffLostHost(fleet).ifPresent(url -> moved.put(fleet, url));
        }
        return moved;
    }

    @Override
    public Optional<String> moveOffLostHost(FleetKey fleet) {
        synchronized (lock(fleet)) {
            Desired held = current(fleet);
            try {
                Desired now = live(fleet, held);
                return now != held ? Optional.of(now.url()) : Optional.empty();
            } catch (RouterException e) {
                LOG.warnf("router of %s on lost host %s not moved yet: %s", fleet, held.hostId(), e.getMessage());
                return Optional.empty();
            }
        }
    }

    /**
     * {@code held}, or, when its host is lost and another host is alive, the router started anew on the live host with
     * the fewest routers, same port and table; the lost host is told to remove it. Every change goes through here, so
     * a step or a placement never waits on a dead host's router. Called with the fleet's lock held.
     */
    private Desired live(FleetKey fleet, Desired held) {
        if (held == null || hosts.isAlive(held.hostId()) || !hosts.anyAlive()) {
            return held;
        }
        Host to = place(fleet);
        Desired started = push(fleet, new Desired(to.hostId(), null, held.port(), held.generation(), held.table(),
                Set.of()), held.table());
        commands.send(RouterCommand.remove(UUID.randomUUID().toString(), held.hostId(), id(fleet)));
        LOG.infof("router of %s moved off lost host %s (%s) to host %s at %s", fleet, held.hostId(), held.url(),
                to.hostId(), started.url());
        return started;
    }

    /** The routers run under their agents and outlive this service: nothing is closed but its memory. */
    @Override
    public void close() {
        fleets.clear();
    }

    /**
     * Sends {@code table} as the fleet's whole table and waits for the agent's answer: the table read back from the
     * router. Held as asked even when the answer does not come: the next change sends the whole table again, so the
     * router converges on what this service last asked.
     */
    private Desired push(FleetKey fleet, Desired held, Map<String, Backend> table) {
        long generation = Math.max(System.currentTimeMillis(), held.generation() + 1);
        Map<String, RouteBackend> routes = new TreeMap<>();
        table.forEach((id, b) -> routes.put(id, new RouteBackend(b.address(), b.weight())));
        String commandId = UUID.randomUUID().toString();
        long started = System.nanoTime();
        Desired asked = new Desired(held.hostId(), held.url(), held.port(), generation, Map.copyOf(table), held.busy());
        if (held.url() != null) {
            fleets.put(fleet, asked);
        }
        commands.send(RouterCommand.set(commandId, held.hostId(), new RouterSpec(id(fleet), fleet.service(),
                fleet.environment(), held.port(), generation, routes, settings.drainTimeout().toMillis())));
        Duration bound = settings.answerTimeout().plus(settings.drainTimeout());
        Observed answer = awaitAnswer(commandId, bound);
        if (answer == null) {
            throw new RouterException("host " + held.hostId() + " did not confirm the table of the router of " + fleet
                    + " within " + bound);
        }
        RouterStatus s = answer.status();
        if (!answer.isRunning()) {
            throw new RouterException("the router of " + fleet + " on host " + held.hostId() + " is " + s.state()
                    + Optional.ofNullable(s.detail()).or(() -> Optional.ofNullable(s.lastExit())).map(d -> ": " + d)
                            .orElse(""));
        }
        Desired confirmed = new Desired(held.hostId(), s.url(), s.port(), generation, Map.copyOf(table),
                Set.copyOf(s.busy()));
        fleets.put(fleet, confirmed);
        LOG.infof("table of %s (%d backends, generation %d) confirmed by host %s in %d ms", fleet, table.size(),
                generation, held.hostId(), (System.nanoTime() - started) / 1_000_000);
        if (s.detail() != null) {
            LOG.warnf("router of %s on host %s: %s", fleet, held.hostId(), s.detail());
        }
        return confirmed;
    }

    private Observed awaitAnswer(String commandId, Duration timeout) {
        try {
            return reports.awaitAnswer(commandId, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterException("interrupted while waiting for a router's answer", e);
        }
    }

    private Object lock(FleetKey fleet) {
        return locks.computeIfAbsent(fleet, k -> new Object());
    }

    private static String id(FleetKey fleet) {
        return RouterSpec.idOf(fleet.service(), fleet.environment());
    }
}
