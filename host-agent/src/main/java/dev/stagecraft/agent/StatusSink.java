package dev.stagecraft.agent;

import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.RouterStatus;
import java.util.List;

/** Where the agent says what it runs; {@link StatusPublisher} in production, a list in pure tests. */
interface StatusSink {

    /** One instance changed, or a command about it was applied ({@code commandId} null for the agent's own changes). */
    void instanceChanged(InstanceStatus status, String commandId);

    /** Everything this host runs now. */
    void heartbeat(List<InstanceStatus> instances);

    /** One fleet router changed, or a command about it was applied ({@code commandId} null for the agent's own). */
    default void routerChanged(RouterStatus router, String commandId) {
    }

    /** Every fleet router this host runs now, with the tables read back from them. */
    default void routers(List<RouterStatus> routers) {
    }
}
