package dev.stagecraft.platform.net;

import java.time.Duration;

/**
 * Bounds on one outbound exchange: {@code connectTimeout} for the TCP (and TLS) connection, {@code readTimeout}
 * for any single wait on the peer, {@code totalTimeout} for the whole exchange, body included (so a peer that
 * trickles a byte now and then is still cut off), and {@code maxBodyBytes} for the answer's body.
 */
public record OutboundLimits(Duration connectTimeout, Duration readTimeout, Duration totalTimeout, long maxBodyBytes) {
}
