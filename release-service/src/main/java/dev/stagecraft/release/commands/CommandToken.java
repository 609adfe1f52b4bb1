package dev.stagecraft.release.commands;

import java.time.Instant;

import dev.stagecraft.platform.security.Grants;

/** Who sent a command, and the token that proves it: its {@code jti} may act once, and is kept until expiry. */
public record CommandToken(Grants grants, String id, Instant expiresAt) {
}
