package dev.stagecraft.router.haproxy;

import dev.stagecraft.router.RouterException;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests in flight per server, from {@code show stat <backend> 4 -1} (CSV, servers only): {@code scur},
 * the streams attached to the server now. Idle pooled connections to it do not count, so 0 means no
 * request is being sent to it or answered by it.
 */
public final class HaproxySessions {
    private HaproxySessions() {
    }

    /** Current sessions by server name. */
    public static Map<String, Integer> parse(String showStat) {
        Map<String, Integer> sessions = new HashMap<>();
        List<String> columns = null;
        for (String line : showStat.split("\n")) {
            if (line.startsWith("# ")) {
                columns = Arrays.asList(line.substring(2).split(",", -1));
                continue;
            }
            if (line.isBlank() || columns == null) {
                continue;
            }
            String[] fields = line.split(",", -1);
            int name = columns.indexOf("svname");
            int current = columns.indexOf("scur");
            if (name < 0 || current < 0 || fields.length <= Math.max(name, current)) {
                throw new RouterException("cannot read HAProxy's stats line '" + line + "'");
            }
            sessions.merge(fields[name], Integer.parseInt(fields[current]), Integer::sum);
        }
        if (columns == null && !showStat.isBlank()) {
            throw new RouterException("HAProxy answered no stats: " + showStat.strip());
        }
        return sessions;
    }
}
