package dev.stagecraft.router.haproxy;

import dev.stagecraft.router.RouterException;

import java.util.HashMap;
import java.util.Map;

/**
 * Requests in flight per server, from {@code show stat <backend> 4 -1} (CSV, servers only): {@code scur},
 * the streams attached to the server now. Idle pooled connections to it do not count, so 0 means no
 * request is being sent to it or answered by it.
 */
public final class HaproxySessions {
    private HaproxySessions() {
    }

    /** Current sessions by server name (the rows of {@link HaproxyStatRows}, their {@code scur}). */
    public static Map<String, Integer> parse(String showStat) {
        Map<String, Integer> sessions = new HashMap<>();
        HaproxyStatRows.parse(showStat).forEach((server, row) -> {
            String current = row.get("scur");
            if (current == null) {
                throw new RouterException("cannot read HAProxy's stats: no scur for " + server);
            }
            sessions.put(server, current.isEmpty() ? 0 : Integer.parseInt(current));
        });
        return sessions;
    }
}
