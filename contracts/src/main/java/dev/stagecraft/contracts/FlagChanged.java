package dev.stagecraft.contracts;

import java.time.Instant;
import java.util.Map;

/**
 * A feature flag of {@code service} in {@code environment} was put ({@code deleted} false) or deleted by
 * {@code actor}, now at {@code version}. Published by release-service on {@link Topics#FLAGS} in the transaction of
 * the change, keyed by {@code service/environment}, for release-service's other replicas, CI systems, dashboards and
 * webhooks. {@code before} and {@code after} are the definition ({@code variants, defaultVariant, state, rules})
 * before and after the change, null where there was none (created, deleted): flags hold no secrets, and OFREP
 * tokens are never part of a definition. A cache of flags should still reload the flag from where it is stored
 * rather than trust a payload, so that a late or repeated event can never make it disagree with what was committed.
 */
public record FlagChanged(String service, String environment, String key, long version, boolean deleted,
        String actor, Instant at, Map<String, Object> before, Map<String, Object> after) {

    public static String key(String service, String environment) {
        return service + "/" + environment;
    }
}
