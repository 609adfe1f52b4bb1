package dev.stagecraft.router;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Chooses a backend at random in proportion to its weight. Pure: the random number comes from the
 * caller, so that the arithmetic can be tested with fixed numbers instead of traffic. Backends are
 * laid out in id order on a line of length {@link #total()}; {@code random * total} lands on one.
 */
public final class WeightedPicker {
    private final String[] ids;
    private final int[] upTo;
    private final int total;

    /** Backends with a weight of 0 or less are left out: they get no traffic at all. */
    public WeightedPicker(Map<String, Integer> weights) {
        Map<String, Integer> positive = new TreeMap<>();
        weights.forEach((id, weight) -> {
            if (weight != null && weight > 0) {
                positive.put(id, weight);
            }
        });
        ids = positive.keySet().toArray(String[]::new);
        upTo = new int[ids.length];
        int sum = 0;
        for (int i = 0; i < ids.length; i++) {
            sum += positive.get(ids[i]);
            upTo[i] = sum;
        }
        total = sum;
    }

    /** The backend that {@code random} (in [0, 1)) falls on; empty when every weight is 0. */
    public Optional<String> pick(double random) {
        if (total == 0) {
            return Optional.empty();
        }
        // Clamped so that a random number at or beyond either end still names a backend.
        int point = (int) Math.min(total - 1, Math.max(0, Math.floor(random * total)));
        for (int i = 0; i < ids.length; i++) {
            if (point < upTo[i]) {
                return Optional.of(ids[i]);
            }
        }
        throw new IllegalStateException("unreachable: point " + point + " beyond total " + total);
    }

    /** The sum of the positive weights; 0 means no backend can be picked. */
    public int total() {
        return total;
    }
}
