package dev.stagecraft.release.events;

import java.time.Instant;

/**
 * One line of a deployment's timeline as it goes out on the event stream. {@code seq} is the line's id: it
 * only grows within a deployment, so a client that reconnects with {@code Last-Event-ID: seq} gets exactly
 * the lines after it. {@code terminal} is true on the line that carries a final status.
 */
public record TimelineEvent(long seq, String deploymentId, Instant at, String status, String eventType,
        String message, boolean terminal) {
}
