package dev.stagecraft.contracts;

/**
 * One instance in a fleet router's table: where it listens ({@code host:port}) and its relative weight (0 to 100; 0
 * means no new request at all).
 */
public record RouteBackend(String address, int weight) {
}
