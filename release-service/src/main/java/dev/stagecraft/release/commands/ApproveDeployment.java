package dev.stagecraft.release.commands;

/**
 * Data of {@code command.approve-deployment}: what {@code POST /api/v1/deployments/{id}/approve} takes as
 * path and body, in one object.
 */
public record ApproveDeployment(String deploymentId, String comment) {
}
