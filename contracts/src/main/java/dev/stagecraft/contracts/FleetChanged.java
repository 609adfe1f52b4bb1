package dev.stagecraft.contracts;

import java.time.Instant;

/**
 * What one fleet is now, published by inventory-service on {@link Topics#INSTANCES} whenever its desired
 * {@code replicas} or its number of {@code instances} changes (a PUT of the fleet, a provision or a
 * decommission step), in the transaction of that change. Other services keep a projection of fleets from
 * it instead of asking inventory-service: release-service refuses a blue/green deployment that could not
 * size its green pool.
 *
 * <p>Unlike the saga's records, this one is keyed by fleet, {@link #key(String, String) service/environment},
 * not by deployment: a fleet changes outside deployments too, and one key keeps all changes of one fleet in
 * one partition, in order. {@code at} is when inventory-service made the change; a reader keeps the newest
 * and ignores an older one that arrives late.
 */
public record FleetChanged(String service, String environment, int replicas, int instances, Instant at) {

    /** The Kafka key of a fleet's records. */
    public static String key(String service, String environment) {
        return service + "/" + environment;
    }
}
