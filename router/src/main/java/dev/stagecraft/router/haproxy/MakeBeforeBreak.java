package dev.stagecraft.router.haproxy;

import dev.stagecraft.router.Backend;


import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order in which to apply weight changes one backend at a time: the highest new weight first, so that
 * every backend that takes traffic after the change takes it before any other is turned down. Applied in
 * any other order, a blue/green switch (blue 100 → 0, green 0 → 100) can pass through a moment in which
 * every backend is at weight 0 and the router has nowhere to send a request. Ties go by id, so that the
 * order is the same on every run.
 */
public final class MakeBeforeBreak {
    private static final Comparator<Map.Entry<String, Backend>> HIGHEST_WEIGHT_FIRST = Comparator
            .comparing((Map.Entry<String, Backend> e) -> e.getValue().weight()).reversed()
            .thenComparing(Map.Entry::getKey);

    private MakeBeforeBreak() {
    }

    public static List<Map.Entry<String, Backend>> order(Map<String, Backend> changes) {
        return changes.entrySet().stream().sorted(HIGHEST_WEIGHT_FIRST).toList();
    }
}
