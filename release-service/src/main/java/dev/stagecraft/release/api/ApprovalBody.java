package dev.stagecraft.release.api;

/** Optional body of POST /api/v1/deployments/{id}/approve. */
public record ApprovalBody(String comment) {
}
