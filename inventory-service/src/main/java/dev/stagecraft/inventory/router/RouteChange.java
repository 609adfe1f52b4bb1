package dev.stagecraft.inventory.router;

import java.util.Map;

import dev.stagecraft.router.Backend;

/** What a change of a fleet's router table amounts to, against a table. Pure. */
public final class RouteChange {

    /** Whether applying {@code change} to {@code table} leaves it as it is: each backend is there already, as given. */
    public static boolean changesNothing(Map<String, Backend> table, Map<String, Backend> change) {
        for (Map.Entry<String, Backend> e : change.entrySet()) {
            if (!e.getValue().equals(table.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private RouteChange() {
    }
}
