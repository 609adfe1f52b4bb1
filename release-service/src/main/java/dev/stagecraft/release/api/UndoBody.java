package dev.stagecraft.release.api;

/** {@code POST /api/v1/fleets/{service}/{environment}/undo}: both optional. */
public record UndoBody(String toVersion, String reason) {
}
