package dev.stagecraft.contracts;

import java.time.Instant;

/**
 * A rollback, abort, pause, resume or promote asked for by a person or script. {@code full} (promote only)
 * asks to skip every remaining step and analysis and go all the way; otherwise a promote skips to the next step.
 */
public record OperatorRequest(String deploymentId, String reason, String requestedBy, Instant at, boolean full) {
    public OperatorRequest(String deploymentId, String reason, String requestedBy, Instant at) {
        this(deploymentId, reason, requestedBy, at, false);
    }
}
