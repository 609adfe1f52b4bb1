package dev.stagecraft.contracts;

import java.time.Instant;

/**
 * One fact of a deployment's lifecycle: the saga's, published by rollout-service, or what happens
 * before a saga starts, published by release-service (see {@link EventTypes#DEPLOYMENT_AWAITING_APPROVAL}).
 * {@code status} is the user-facing status after the fact (IN_PROGRESS, ROLLING_BACK, SUCCEEDED, ...),
 * {@code message} says what happened in words fit for a timeline.
 */
public record DeploymentStatusChanged(String deploymentId, String service, String environment, String version,
        String status, String message, Instant at) {
}
