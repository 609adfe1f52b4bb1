package dev.stagecraft.agent;

import java.io.IOException;

/**
 * One kind of fleet router as the {@link RouterKeeper} drives it: a detached process per fleet, started from the
 * handle's last table, whose table is set whole and read back. The keeper owns the lifecycle (records, adoption,
 * restarts with backoff, moves); a kind only knows its process and its admin interface. Kinds:
 * {@link JavaRouterEngine} (the router process on Vert.x) and {@link HaproxyRouterEngine} (a real HAProxy).
 */
interface RouterEngine extends AutoCloseable {

    /** Starts the router detached, routing the handle's table from its first request. */
    ProcessLauncher.Launched launch(RouterHandle router) throws IOException;

    /** Whether the router takes admin calls now. */
    boolean isLive(RouterHandle router);

    /**
     * Sets the handle's spec as the whole table, then waits, at most the spec's drain timeout, until no request is in
     * flight to a backend at weight 0; answers the table routed after it, with {@code busy}. A router that routes a
     * newer generation keeps it and answers that.
     */
    RouterAdmin.Table put(RouterHandle router) throws IOException;

    /** The table the router routes now, read from it: the read-back every change is confirmed by. */
    RouterAdmin.Table get(RouterHandle router) throws IOException;

    /** Why the router's process ended, as far as it can be told. */
    String exitOf(RouterHandle router);

    /** Stops the router's process (and whatever the agent serves for it). */
    void terminate(RouterHandle router);

    /** Deletes the files the router kept. */
    void forget(String routerId);

    /** The agent stops: whatever it serves in its own process for routers stops; the routers keep running. */
    @Override
    default void close() {
    }
}
