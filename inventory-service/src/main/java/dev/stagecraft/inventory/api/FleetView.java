package dev.stagecraft.inventory.api;

import java.util.List;

/**
 * A fleet with its instances. {@code routerUrl} is where the fleet's traffic enters; it is null
 * until a traffic router exists (this version routes nothing: clients call instances directly).
 */
public record FleetView(String service, String environment, int replicas, String routerUrl,
        List<InstanceView> instances) {
}
