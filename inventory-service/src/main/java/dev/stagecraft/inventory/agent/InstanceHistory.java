package dev.stagecraft.inventory.agent;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.stagecraft.contracts.InstanceStatus;

/**
 * What happened to each instance on its hosts, as the agents reported it since this service started: every change of
 * host, state, pid, restart count or generation, newest last, so a restart by an agent (CRASH_LOOP_BACKOFF with the
 * exit, then RUNNING as another pid with {@code restarts} one higher) or a move to another host reads as a story. A
 * heartbeat that repeats what is known adds nothing. Bounded: the last {@code perInstance} changes of the last
 * {@code instances} instances seen. The time of each change is the agent's. Memory only (the agents' reports are the durable truth); not thread-safe, its
 * owner ({@link AgentReports}) holds the lock.
 */
public class InstanceHistory {

    /** One observed change. {@code detail}: the agent's detail, else the last exit, if any. */
    public record Change(Instant at, String host, String state, Long pid, int restarts, long generation, String detail) {
    }

    private final int perInstance;
    private final Map<String, Deque<Change>> byInstance;

    public InstanceHistory(int instances, int perInstance) {
        this.perInstance = perInstance;
        this.byInstance = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<Change>> eldest) {
                return size() > instances;
            }
        };
    }

    /**
     * Records the status if it differs from the last one recorded for that instance, at the agent's time of the change
     * ({@code since}) or else {@code at}; answers whether it did.
     */
    public boolean observe(String hostId, InstanceStatus status, Instant at) {
        Deque<Change> changes = byInstance.computeIfAbsent(status.instanceId(), id -> new ArrayDeque<>());
        Change last = changes.peekLast();
        Long pid = status.pid();
        if (last != null && last.host().equals(hostId) && last.state().equals(status.state())
                && Objects.equals(last.pid(), pid) && last.restarts() == status.restarts()
                && (last.generation() == status.generation() || InstanceStatus.GONE.equals(status.state()))) {
            return false;
        }
        // a RUNNING report still carries the exit before it: that belongs to the change that ended it
        String detail = status.detail() != null || InstanceStatus.RUNNING.equals(status.state()) ? status.detail()
                : status.lastExit();
        changes.addLast(new Change(status.since() != null ? status.since() : at, hostId, status.state(), pid, status.restarts(), status.generation(), detail));
        while (changes.size() > perInstance) {
            changes.removeFirst();
        }
        return true;
    }

    /** The instance's changes, oldest first; empty for one never reported. */
    public List<Change> of(String instanceId) {
        Deque<Change> changes = byInstance.get(instanceId);
        return changes == null ? List.of() : List.copyOf(changes);
    }
}
