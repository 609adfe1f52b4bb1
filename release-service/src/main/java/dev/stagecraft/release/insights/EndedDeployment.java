package dev.stagecraft.release.insights;

import java.time.Instant;

/**
 * A deployment that ended as a change: {@code outcome} is SUCCEEDED, ROLLED_BACK or FAILED (ABORTED and REJECTED
 * deployments are no change and are left out). {@code releaseCreatedAt} is when its release was created.
 * {@code failureBeganAt}, for a ROLLED_BACK or FAILED one, is when it was known bad before it ended, or null: a
 * deployment rolled back after its rollout (an alert during its bake, a person) ends only when the rollback deployment
 * succeeds, so its {@code finishedAt} is the restore, and the failure began when that rollback started.
 */
public record EndedDeployment(String service, String environment, String version, String outcome,
        Instant finishedAt, Instant releaseCreatedAt, Instant failureBeganAt) {
    public static final String SUCCEEDED = "SUCCEEDED";

    /** One whose failure, if it failed, began when it ended. */
    public EndedDeployment(String service, String environment, String version, String outcome, Instant finishedAt,
            Instant releaseCreatedAt) {
        this(service, environment, version, outcome, finishedAt, releaseCreatedAt, null);
    }

    /** When the failure began: {@code failureBeganAt} if known (never after the end), else the end. */
    public Instant failureStart() {
        return failureBeganAt == null || failureBeganAt.isAfter(finishedAt) ? finishedAt : failureBeganAt;
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(outcome);
    }

    public String key() {
        return service + "\u0000" + environment;
    }
}
