package dev.stagecraft.contracts;

import java.time.Instant;

/**
 * One fact of a deployment's lifecycle, published by rollout-service. {@code status} is the
 * user-facing status after the fact (IN_PROGRESS, ROLLING_BACK, SUCCEEDED, ...), {@code message}
 * says what happened in words fit for a timeline.
 */
public record DeploymentStatusChanged(String deploymentId, String service, String environment, String version,
        String status, String message, Instant at) {
}
