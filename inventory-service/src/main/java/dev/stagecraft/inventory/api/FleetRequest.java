package dev.stagecraft.inventory.api;

/** Body of PUT /api/v1/fleets/{service}/{environment}. */
public record FleetRequest(Integer replicas) {
}
