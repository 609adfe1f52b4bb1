package dev.stagecraft.release.api;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of an environment's history: a deployment (when it was requested, and where it stands now) or a change of
 * a feature flag, with a one-line {@code summary}. Exactly one of {@code deployment} and {@code flag} is present.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentHistoryEntry(String kind, Instant at, String service, String summary, Deployment deployment,
        FlagChange flag) {
    public static final String DEPLOYMENT = "deployment";
    public static final String FLAG = "flag";

    public record Deployment(String id, String version, String strategy, String status, String requestedBy,
            Instant finishedAt) {
    }

    /** {@code action} put or delete; {@code before} and {@code after} the stored definitions (null where none). */
    public record FlagChange(String key, long version, String action, String actor, Map<String, Object> before,
            Map<String, Object> after) {
    }
}
