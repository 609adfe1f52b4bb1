package dev.stagecraft.contracts;

/**
 * One probe of one instance: {@code probe} is liveness or readiness; {@code attempts} how many
 * requests were made before the probe passed or its deadline ran out; {@code lastStatus} the last
 * HTTP status seen (null when no answer came); {@code elapsedMs} the time until the outcome.
 */
public record ProbeMeasurement(String instanceId, String address, String probe, boolean ok, int attempts,
        Integer lastStatus, long elapsedMs, String error) {
}
