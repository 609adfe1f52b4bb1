package dev.stagecraft.inventory.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.HostRouters;
import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.RouterStatus;
import dev.stagecraft.contracts.RouterStatusReport;

/**
 * The latest status of every fleet router as the host agents report it (with the table each router answered when it
 * was last read back), and the answers to router commands, which callers wait for.
 */
public class RouterReports {
    private static final int REMEMBERED_ANSWERS = 256;

    /** One router as last seen, on which host. */
    public record Observed(String hostId, String hostAddress, RouterStatus status) {
        public boolean isRunning() {
            return InstanceStatus.RUNNING.equals(status.state());
        }
    }

    private final Map<String, Observed> latest = new HashMap<>();
    private final Map<String, Observed> answers = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Observed> eldest) {
            return size() > REMEMBERED_ANSWERS;
        }
    };

    public synchronized void apply(RouterStatusReport report) {
        Observed observed = new Observed(report.hostId(), report.hostAddress(), report.router());
        observe(observed);
        if (report.commandId() != null) {
            answers.put(report.commandId(), observed);
        }
        notifyAll();
    }

    /** The host's whole truth: a router it held before and does not list any more is gone. */
    public synchronized void apply(HostRouters routers) {
        Set<String> listed = routers.routers().stream().map(RouterStatus::routerId).collect(Collectors.toSet());
        latest.entrySet().removeIf(e -> e.getValue().hostId().equals(routers.hostId()) && !listed.contains(e.getKey()));
        routers.routers().forEach(r -> observe(new Observed(routers.hostId(), routers.hostAddress(), r)));
        notifyAll();
    }

    private void observe(Observed observed) {
        String id = observed.status().routerId();
        Observed held = latest.get(id);
        if (InstanceStatus.GONE.equals(observed.status().state())) {
            if (held == null || held.hostId().equals(observed.hostId())) {
                latest.remove(id);
            }
            return;
        }
        latest.put(id, observed);
    }

    public synchronized Optional<Observed> get(String routerId) {
        return Optional.ofNullable(latest.get(routerId));
    }

    /** Every router as last seen, by router id. */
    public synchronized java.util.List<Observed> all() {
        return latest.values().stream().sorted(java.util.Comparator.comparing(o -> o.status().routerId())).toList();
    }

    /** How many routers each host runs now. */
    public synchronized Map<String, Integer> countByHost() {
        Map<String, Integer> counts = new HashMap<>();
        latest.values().forEach(o -> counts.merge(o.hostId(), 1, Integer::sum));
        return counts;
    }

    /** The agent's answer to the command, waiting up to {@code timeout}; null if none came. */
    public synchronized Observed awaitAnswer(String commandId, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!answers.containsKey(commandId)) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
        return answers.get(commandId);
    }
}
