package dev.stagecraft.inventory.router;

import java.util.Map;
import java.util.TreeMap;

/**
 * Compares the weights a step asked for with those the router reports it applies (DESIGN.md: every
 * weight change is confirmed by reading it back). An instance the router does not list gets no
 * traffic, so it counts as weight 0.
 */
public final class WeightCheck {
    private WeightCheck() {
    }

    /** By instance id, a sentence for each weight that the router did not apply as asked. */
    public static Map<String, String> mismatches(Map<String, Integer> expected, Map<String, Integer> applied) {
        Map<String, String> wrong = new TreeMap<>();
        expected.forEach((id, weight) -> {
            int actual = applied.getOrDefault(id, 0);
            if (actual != weight) {
                wrong.put(id, "router applied " + actual + ", expected " + weight);
            }
        });
        return wrong;
    }
}
