package dev.stagecraft.rollout.strategy;

import java.util.ArrayList;
import java.util.List;

import dev.stagecraft.contracts.MaxUnavailable;

/** Cuts a fleet into rolling batches of at most {@code maxUnavailable} instances, in a stable order. */
public final class RollingPlanner {

    public static List<List<String>> batches(List<String> instanceIds, MaxUnavailable maxUnavailable) {
        List<String> ordered = instanceIds.stream().sorted().toList();
        return chunk(ordered, maxUnavailable.batchSize(ordered.size()));
    }

    /** Consecutive chunks of {@code size}; the last may be smaller. */
    public static List<List<String>> chunk(List<String> ids, int size) {
        List<List<String>> batches = new ArrayList<>();
        if (size <= 0) {
            return batches;
        }
        for (int i = 0; i < ids.size(); i += size) {
            batches.add(List.copyOf(ids.subList(i, Math.min(ids.size(), i + size))));
        }
        return batches;
    }

    private RollingPlanner() {
    }
}
