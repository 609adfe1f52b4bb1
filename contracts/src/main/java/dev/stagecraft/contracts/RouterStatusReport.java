package dev.stagecraft.contracts;

import java.time.Instant;

/**
 * On {@link Topics#HOST_STATUS}, keyed by {@code hostId}: a fleet's router changed (started, restarted, crashed), or
 * a {@link RouterCommand} was applied (then {@code commandId} names it and {@code router.backends} is the table read
 * back from the router after the change).
 */
public record RouterStatusReport(String hostId, String hostAddress, RouterStatus router, String commandId,
        Instant at) {
}
