package dev.stagecraft.inventory.api;

import java.util.List;

/**
 * A fleet with its instances. {@code routerUrl} is where the fleet's traffic enters: the router spreads
 * it over the instances in service by weight.
 */
public record FleetView(String service, String environment, int replicas, String routerUrl,
        List<InstanceView> instances) {
}
