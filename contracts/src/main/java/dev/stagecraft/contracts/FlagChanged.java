package dev.stagecraft.contracts;

import java.time.Instant;

/**
 * A feature flag of {@code service} in {@code environment} was put ({@code deleted} false) or deleted, now at
 * {@code version}. Published by release-service on {@link Topics#FLAGS} in the transaction of the change, keyed by
 * {@code service/environment}. Carries no definition: a replica that reads it reloads the flag from the database,
 * so an event can never make a cache disagree with what was committed.
 */
public record FlagChanged(String service, String environment, String key, long version, boolean deleted,
        String actor, Instant at) {

    public static String key(String service, String environment) {
        return service + "/" + environment;
    }
}
