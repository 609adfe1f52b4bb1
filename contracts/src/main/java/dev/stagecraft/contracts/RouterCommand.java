package dev.stagecraft.contracts;

import java.time.Instant;

/**
 * A command about a fleet's router to one host agent on {@link Topics#HOST_COMMANDS}, keyed by {@code hostId} like
 * {@link HostCommand} (one host's commands stay in order). Idempotent: {@link #SET_ROUTES} says "this router runs
 * with this table" (started if it is not running, the table applied and read back), {@link #REMOVE_ROUTER} "this
 * router is gone"; applying either twice changes nothing.
 */
public record RouterCommand(String commandId, String hostId, String type, String routerId, RouterSpec router,
        Instant at) {
    public static final String SET_ROUTES = "SET_ROUTES";
    public static final String REMOVE_ROUTER = "REMOVE_ROUTER";

    public static RouterCommand set(String commandId, String hostId, RouterSpec router) {
        return new RouterCommand(commandId, hostId, SET_ROUTES, router.routerId(), router, Instant.now());
    }

    public static RouterCommand remove(String commandId, String hostId, String routerId) {
        return new RouterCommand(commandId, hostId, REMOVE_ROUTER, routerId, null, Instant.now());
    }

    /** The CloudEvents type this command travels under. */
    public String eventType() {
        return REMOVE_ROUTER.equals(type) ? EventTypes.HOST_REMOVE_ROUTER : EventTypes.HOST_SET_ROUTES;
    }

    /** Whether a record of this CloudEvents type is a router command (else an instance command). */
    public static boolean isRouterType(String ceType) {
        return EventTypes.HOST_SET_ROUTES.equals(ceType) || EventTypes.HOST_REMOVE_ROUTER.equals(ceType);
    }
}
