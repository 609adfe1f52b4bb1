package dev.stagecraft.inventory.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.HostHeartbeat;
import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.InstanceStatusReport;

/**
 * The latest status of every instance as the host agents report it, and the callers waiting for a status. A report
 * of an older generation than the one held is ignored: a late report must not undo what a newer START set.
 */
public class AgentReports {

    /** One instance as last seen, on which host. */
    public record Observed(String hostId, String hostAddress, InstanceStatus status) {
        public boolean isRunning() {
            return InstanceStatus.RUNNING.equals(status.state());
        }

        /**
         * host:port, the address the instance is reached at: its own address as its agent reports it (a simulated
         * host gives each instance a loopback address of its own), else the host's.
         */
        public String address() {
            String own = status.address();
            return (own == null || own.isBlank() ? hostAddress : own) + ":" + status.port();
        }
    }

    private final Map<String, Observed> latest = new HashMap<>();
    /**
     * The ids of {@link #latest} each host holds, kept as it changes: placing 10,000 instances counted 10,000 each, and
     * a heartbeat looked through every host's instances for those its host no longer lists.
     */
    private final Map<String, Set<String>> perHost = new HashMap<>();
    /** Callers waiting for a status, by instance id. */
    private final Map<String, List<Waiter>> waiting = new HashMap<>();
    /** Every observed change of every instance, for its history view. */
    private final InstanceHistory history = new InstanceHistory(10_000, 20);
    /** Restarts counted per instance, so that a report seen again (a heartbeat) adds nothing. */
    private final RestartListener restarts;

    public AgentReports(RestartListener restarts) {
        this.restarts = restarts;
    }

    public synchronized void apply(InstanceStatusReport report) {
        observe(report.hostId(), report.hostAddress(), report.instance());
        wake(report.instance().instanceId());
    }

    /** A heartbeat is the host's whole truth: an instance it held before and does not list any more is gone. */
    public synchronized void apply(HostHeartbeat heartbeat) {
        Set<String> listed = heartbeat.instances().stream().map(InstanceStatus::instanceId).collect(Collectors.toSet());
        for (String id : List.copyOf(perHost.getOrDefault(heartbeat.hostId(), Set.of()))) {
            if (!listed.contains(id)) {
                forget(id);
            }
        }
        heartbeat.instances().forEach(s -> observe(heartbeat.hostId(), heartbeat.hostAddress(), s));
        List.copyOf(waiting.keySet()).forEach(this::wake);
    }

    /**
     * Answers the callers waiting for this instance whose condition now holds. Only they are woken: with one monitor
     * and notifyAll, a step starting a thousand instances woke all its waiting threads for every report (a thousand
     * reports times two hundred threads), which kept a 2-core machine busy for minutes.
     */
    private void wake(String instanceId) {
        List<Waiter> waiters = waiting.get(instanceId);
        if (waiters == null) {
            return;
        }
        Observed held = latest.get(instanceId);
        for (Waiter w : waiters) {
            if (held == null ? w.goneCounts() : w.done().test(held)) {
                w.answer().complete(Optional.ofNullable(held));
            }
        }
    }

    private record Waiter(Predicate<Observed> done, boolean goneCounts, CompletableFuture<Optional<Observed>> answer) {
    }

    private void observe(String hostId, String hostAddress, InstanceStatus status) {
        Observed held = latest.get(status.instanceId());
        if (held != null && held.status().equals(status) && held.hostId().equals(hostId)
                && Objects.equals(held.hostAddress(), hostAddress)) {
            // what is held already (most of a heartbeat): nothing changes, and nothing is news for the history
            return;
        }
        if (held == null || held.status().generation() <= status.generation()
                || InstanceStatus.GONE.equals(status.state())) {
            history.observe(hostId, status, Instant.now());
        }
        // GONE carries no generation (the agent forgot the spec): it ends whatever that host held. A host's reports
        // keep their order (one key, one partition), so a GONE never overtakes a later START's reports.
        if (InstanceStatus.GONE.equals(status.state())) {
            if (held == null || held.hostId().equals(hostId)) {
                forget(status.instanceId());
            }
            return;
        }
        if (held != null && held.status().generation() > status.generation()) {
            return;
        }
        // The first sight of an instance (after this service started) is its baseline, not news: restarts are counted
        // as they grow, so a heartbeat read again or a restart of this service counts nothing twice.
        if (held != null && held.status().generation() == status.generation()
                && status.restarts() > held.status().restarts()) {
            restarts.restarted(status.instanceId(), status.restarts() - held.status().restarts());
        }
        hold(new Observed(hostId, hostAddress, status));
    }

    private void hold(Observed observed) {
        Observed before = latest.put(observed.status().instanceId(), observed);
        if (before != null) {
            uncount(before);
        }
        perHost.computeIfAbsent(observed.hostId(), host -> new HashSet<>()).add(observed.status().instanceId());
    }

    private void forget(String instanceId) {
        Observed before = latest.remove(instanceId);
        if (before != null) {
            uncount(before);
        }
    }

    private void uncount(Observed gone) {
        perHost.computeIfPresent(gone.hostId(), (host, ids) -> {
            ids.remove(gone.status().instanceId());
            return ids.isEmpty() ? null : ids;
        });
    }

    /** What happened to the instance on its hosts since this service started, oldest first. */
    public synchronized java.util.List<InstanceHistory.Change> history(String instanceId) {
        return history.of(instanceId);
    }

    public synchronized Optional<Observed> get(String instanceId) {
        return Optional.ofNullable(latest.get(instanceId));
    }

    /** Every instance as last seen, a copy. */
    public synchronized List<Observed> all() {
        return List.copyOf(latest.values());
    }

    /** How many instances each host holds now. */
    public synchronized Map<String, Integer> countByHost() {
        Map<String, Integer> counts = new HashMap<>();
        perHost.forEach((host, ids) -> counts.put(host, ids.size()));
        return counts;
    }

    /**
     * Waits until the instance's latest status satisfies {@code done} (answered), or the instance is not held by any
     * host and {@code goneCounts} (answered empty), or {@code timeout} passes (null).
     */
    public Optional<Observed> await(String instanceId, Predicate<Observed> done, boolean goneCounts,
            Duration timeout) throws InterruptedException {
        Waiter waiter = new Waiter(done, goneCounts, new CompletableFuture<>());
        synchronized (this) {
            Observed held = latest.get(instanceId);
            if (held == null ? goneCounts : done.test(held)) {
                return Optional.ofNullable(held);
            }
            waiting.computeIfAbsent(instanceId, id -> new ArrayList<>()).add(waiter);
        }
        try {
            return waiter.answer().get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            synchronized (this) {
                List<Waiter> waiters = waiting.get(instanceId);
                if (waiters != null) {
                    waiters.remove(waiter);
                    if (waiters.isEmpty()) {
                        waiting.remove(instanceId);
                    }
                }
            }
        }
    }

    /** Told of restarts the agents made, to count them. */
    public interface RestartListener {
        void restarted(String instanceId, int count);
    }
}
