package dev.stagecraft.release.domain;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.stagecraft.platform.api.Violations;

/**
 * The problems of one request body, one per field, in the order found. A problem under a field already
 * named ({@code strategy.steps[1].weight} after {@code strategy.steps[1]}) is left out: it only follows
 * from the first (the field was dropped or replaced to go on checking), and fixing the first changes it.
 */
final class FieldProblems {
    private final Map<String, String> found = new LinkedHashMap<>();

    void add(String field, String message) {
        if (!covered(field)) {
            found.put(field, message);
        }
    }

    boolean covered(String field) {
        return found.keySet().stream().anyMatch(named -> field.equals(named) || field.startsWith(named + ".")
                || field.startsWith(named + "["));
    }

    void addTo(Violations v) {
        found.forEach(v::add);
    }
}
