package dev.stagecraft.release.events;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The in-process broadcaster: the streams open on this replica, by deployment, and a way to wake them when
 * that deployment's timeline may have grown. Every replica consumes the deployments topic itself, so each
 * wakes its own streams; a signal carries no data, the woken stream reads what was committed.
 */
@ApplicationScoped
public class TimelineSignals {
    private final Map<String, Set<Runnable>> listeners = new ConcurrentHashMap<>();

    public AutoCloseable listen(String deploymentId, Runnable onChange) {
        listeners.computeIfAbsent(deploymentId, id -> new CopyOnWriteArraySet<>()).add(onChange);
        return () -> listeners.computeIfPresent(deploymentId, (id, set) -> {
            set.remove(onChange);
            return set.isEmpty() ? null : set;
        });
    }

    /** Called after a record of this deployment was applied (and committed). */
    public void changed(String deploymentId) {
        if (deploymentId == null) {
            return;
        }
        Set<Runnable> set = listeners.get(deploymentId);
        if (set != null) {
            set.forEach(Runnable::run);
        }
    }

    public void wakeAll() {
        listeners.values().forEach(set -> set.forEach(Runnable::run));
    }

    int open(String deploymentId) {
        Set<Runnable> set = listeners.get(deploymentId);
        return set == null ? 0 : set.size();
    }
}
