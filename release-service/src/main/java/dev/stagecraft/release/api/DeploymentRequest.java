package dev.stagecraft.release.api;

/**
 * Body of POST /api/v1/deployments. {@code override} is an admin's break-glass: it opens a closed
 * deploy window or freeze for this one deployment, and its reason goes to the gate and the audit log.
 */
public record DeploymentRequest(String service, String version, String environment, Strategy strategy,
        BreakGlass override) {
    /** {@code maxUnavailable} (rolling): a count such as 1 or a percentage such as "25%"; default 1. */
    public record Strategy(String type, String maxUnavailable) {
    }

    public record BreakGlass(String reason) {
    }
}
