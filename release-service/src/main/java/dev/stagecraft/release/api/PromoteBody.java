package dev.stagecraft.release.api;

import java.util.List;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;

/**
 * Optional body of POST /api/v1/deployments/{id}/promote. {@code full}: skip every remaining step and
 * analysis and go all the way; otherwise only the current step's wait is cut short and the next step
 * begins. {@code ?full=true} says the same, for callers without a body (a chat bot, curl -X POST).
 */
public record PromoteBody(String reason, Boolean full) {

    /** The body's and the query's word, which must agree when both are given; false when neither is. */
    public static boolean full(PromoteBody body, String query) {
        Boolean fromBody = body == null ? null : body.full();
        Boolean fromQuery = parse(query);
        if (fromBody != null && fromQuery != null && !fromBody.equals(fromQuery)) {
            throw ApiProblem.badRequest("the body and the query disagree about a full promotion",
                    List.of(new Problem.Violation("full", "the body says " + fromBody + ", the query " + fromQuery)));
        }
        return Boolean.TRUE.equals(fromBody != null ? fromBody : fromQuery);
    }

    /** Strictly true or false: a typo must not quietly mean "the next step only". */
    private static Boolean parse(String query) {
        if (query == null) {
            return null;
        }
        if (query.equals("true") || query.equals("false")) {
            return Boolean.valueOf(query);
        }
        throw ApiProblem.badRequest("full must be true or false",
                List.of(new Problem.Violation("full", "'" + query + "' must be true or false")));
    }
}
