package dev.stagecraft.release.api;

/**
 * {@code POST /api/v1/fleets/{service}/{environment}/undo}: all optional. {@code override}: an admin's break-glass,
 * which lets the undo through a closed deploy window or a freeze and past the approval gate; it needs a
 * {@code reason}, which the gates, the timeline and the audit log keep.
 */
public record UndoBody(String toVersion, String reason, boolean override) {
}
