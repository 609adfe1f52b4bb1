package dev.stagecraft.inventory.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.stagecraft.contracts.HostHeartbeat;

/**
 * The hosts the agents announce through their heartbeats, and where new instances go. A host counts as alive while
 * its last heartbeat is younger than {@code freshness}; instances are spread: a new one goes to the live host with
 * the fewest, counting the ones placed here whose first report has not come yet.
 */
public class HostDirectory {

    /** {@code metricsPort}: where the agent serves its Prometheus metrics on {@code address}; 0 when it does not. */
    public record Host(String hostId, String address, Instant lastHeartbeat, int metricsPort) {
    }

    private final Map<String, Host> hosts = new HashMap<>();
    /** Instances sent to a host whose status has not been reported yet: two starts at once must not pick the same host. */
    private final Map<String, String> pendingPlacements = new HashMap<>();
    private final Duration freshness;
    private final Clock clock;

    public HostDirectory(Duration freshness, Clock clock) {
        this.freshness = freshness;
        this.clock = clock;
    }

    public synchronized void heard(HostHeartbeat heartbeat) {
        hosts.put(heartbeat.hostId(), new Host(heartbeat.hostId(), heartbeat.hostAddress(), clock.instant(),
                heartbeat.metricsPort()));
    }

    public synchronized boolean isAlive(String hostId) {
        Host host = hosts.get(hostId);
        return host != null && host.lastHeartbeat().isAfter(clock.instant().minus(freshness));
    }

    public synchronized boolean anyAlive() {
        return hosts.keySet().stream().anyMatch(this::isAlive);
    }

    public synchronized Optional<Host> host(String hostId) {
        return Optional.ofNullable(hosts.get(hostId));
    }

    /**
     * Picks the live host with the fewest instances ({@code reported}: instances per host as reported) and records
     * the placement until {@link #settled}; empty when no host is alive. Ties go to the lowest host id, so the
     * spread is predictable.
     */
    public synchronized Optional<Host> place(String instanceId, Map<String, Integer> reported) {
        Map<String, Integer> counts = new HashMap<>(reported);
        pendingPlacements.forEach((instance, host) -> counts.merge(host, 1, Integer::sum));
        Optional<Host> chosen = hosts.values().stream().filter(h -> isAlive(h.hostId()))
                .min(Comparator.<Host>comparingInt(h -> counts.getOrDefault(h.hostId(), 0)).thenComparing(Host::hostId));
        chosen.ifPresent(h -> pendingPlacements.put(instanceId, h.hostId()));
        return chosen;
    }

    /** The placement of the instance is answered (reported, failed or given up): the reports count it from now. */
    public synchronized void settled(String instanceId) {
        pendingPlacements.remove(instanceId);
    }

    /** The hosts whose heartbeat is fresh, by host id. */
    public synchronized java.util.List<Host> alive() {
        return hosts.values().stream().filter(h -> isAlive(h.hostId())).sorted(Comparator.comparing(Host::hostId))
                .toList();
    }
}
