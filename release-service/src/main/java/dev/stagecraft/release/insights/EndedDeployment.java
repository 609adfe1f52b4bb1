package dev.stagecraft.release.insights;

import java.time.Instant;

/**
 * A deployment that ended as a change: {@code outcome} is SUCCEEDED, ROLLED_BACK or FAILED (ABORTED and REJECTED
 * deployments are no change and are left out). {@code releaseCreatedAt} is when its release was created.
 */
public record EndedDeployment(String service, String environment, String version, String outcome,
        Instant finishedAt, Instant releaseCreatedAt) {
    public static final String SUCCEEDED = "SUCCEEDED";

    public boolean succeeded() {
        return SUCCEEDED.equals(outcome);
    }

    public String key() {
        return service + "\u0000" + environment;
    }
}
