package dev.stagecraft.release.domain;

import java.util.List;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;

/** The {@code limit} query parameter of the list endpoints: absent means the default, anything else 1 to max or 400. */
final class QueryLimit {
    private QueryLimit() {
    }

    static int parse(String limit, int defaultLimit, int max, String query) {
        if (limit == null || limit.isBlank()) {
            return defaultLimit;
        }
        try {
            int parsed = Integer.parseInt(limit.trim());
            if (parsed >= 1 && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below, like an out-of-range number
        }
        throw ApiProblem.badRequest("the " + query + " is not valid", List.of(new Problem.Violation("limit",
                "'" + limit + "' must be a whole number from 1 to " + max)));
    }
}
