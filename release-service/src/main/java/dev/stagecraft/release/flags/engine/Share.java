package dev.stagecraft.release.flags.engine;

/** One variant's part of a fractional rollout, in basis points (1 % = 100), so that 0.01 % steps are possible. */
public record Share(String variant, int basisPoints) {
}
