package dev.stagecraft.inventory.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.stagecraft.router.Backend;

/**
 * Turns pools' shares of a fleet's traffic (percentages adding up to 100) into per-instance router
 * weights. Router weights are relative and at most {@link Backend#MAX_WEIGHT}, so each instance gets its
 * pool's share divided by the pool's size, scaled so that the largest is the maximum, then rounded. A
 * pool with a share above 0 never rounds down to nothing. Pure, so the arithmetic is tested by tables.
 */
public final class PoolWeights {

    /** The weights, or why the split cannot be carried out. */
    public record Split(Map<String, Integer> weights, Optional<String> problem) {
    }

    public static Split split(Map<String, Integer> shares, Map<String, List<String>> instancesByPool) {
        int total = shares.values().stream().mapToInt(Integer::intValue).sum();
        if (total != 100) {
            return refused("pool shares must add up to 100%, they add up to " + total + "%: " + shares);
        }
        for (Map.Entry<String, Integer> share : shares.entrySet()) {
            if (share.getValue() < 0) {
                return refused("pool " + share.getKey() + " cannot have a negative share: " + share.getValue());
            }
            if (share.getValue() > 0 && instancesByPool.getOrDefault(share.getKey(), List.of()).isEmpty()) {
                return refused("pool " + share.getKey() + " has no instances to take " + share.getValue() + "%");
            }
        }
        double largest = 0;
        for (Map.Entry<String, Integer> share : shares.entrySet()) {
            int size = instancesByPool.getOrDefault(share.getKey(), List.of()).size();
            if (size > 0) {
                largest = Math.max(largest, share.getValue() / (double) size);
            }
        }
        Map<String, Integer> weights = new TreeMap<>();
        double scale = Backend.MAX_WEIGHT / largest;
        instancesByPool.forEach((pool, ids) -> {
            int share = shares.getOrDefault(pool, 0);
            int weight = share == 0 ? 0 : Math.max(1, (int) Math.round(share / (double) ids.size() * scale));
            ids.forEach(id -> weights.put(id, weight));
        });
        return new Split(weights, Optional.empty());
    }

    /** The share of traffic in percent each pool gets with these weights: what a router picking by weight delivers. */
    public static Map<String, Double> effectiveShares(Map<String, Integer> weights, Map<String, String> poolOf) {
        double sum = weights.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Double> shares = new TreeMap<>();
        weights.forEach((id, w) -> shares.merge(poolOf.get(id), sum == 0 ? 0 : 100.0 * w / sum, Double::sum));
        return shares;
    }

    private static Split refused(String why) {
        return new Split(Map.of(), Optional.of(why));
    }

    private PoolWeights() {
    }
}
