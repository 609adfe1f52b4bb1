package dev.stagecraft.inventory.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A fleet with its instances. {@code routerUrl} is where the fleet's traffic enters: the router spreads
 * it over the instances in service by weight. {@code deployment}: the id of the deployment that runs on the fleet
 * now, if one does (its replicas cannot change meanwhile). {@code problems}, only in the answer to a live scale that did not
 * fully succeed: by instance id, what went wrong (the scale leaves no half-started instance behind; PUT the same
 * replicas again to try again).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetView(String service, String environment, int replicas, String routerUrl,
        List<InstanceView> instances, String deployment, Map<String, String> problems) {
}
