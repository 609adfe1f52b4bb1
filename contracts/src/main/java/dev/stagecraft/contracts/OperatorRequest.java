package dev.stagecraft.contracts;

import java.time.Instant;

/** A rollback or abort asked for by a person or script. */
public record OperatorRequest(String deploymentId, String reason, String requestedBy, Instant at) {
}
