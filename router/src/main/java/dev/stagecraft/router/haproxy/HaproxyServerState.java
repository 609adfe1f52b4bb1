package dev.stagecraft.router.haproxy;

import dev.stagecraft.router.RouterException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One server (slot) as HAProxy applies it, from {@code show servers state <backend>}: where it sends
 * traffic, and with which weight and states. This, not the router's memory, is what the haproxy router
 * reports as applied.
 */
public record HaproxyServerState(String name, String address, int port, int operationalState, int adminState,
        int weight) {
    /** {@code SRV_ADMF_MAINT}: forced, inherited or resolution maintenance. Not CMAINT (0x04), which only
     * records that the config said "disabled" and stays set after the server is made ready. */
    private static final int MAINTENANCE = 0x23;
    /** {@code SRV_ADMF_DRAIN}: forced or inherited drain, no new requests. */
    private static final int DRAIN = 0x18;
    /** {@code SRV_ST_STOPPED}: down (no health checks here, so only in maintenance). */
    private static final int STOPPED = 0;

    public boolean inMaintenance() {
        return (adminState & MAINTENANCE) != 0;
    }

    /** The weight that new requests see: 0 when draining or down, whatever the configured weight. */
    public int effectiveWeight() {
        return (adminState & DRAIN) != 0 || operationalState == STOPPED ? 0 : weight;
    }

    /** Whether this server sends its traffic to {@code ip:port}. */
    public boolean pointsAt(String ip, int port) {
        return this.port == port && HaproxyAddresses.sameHost(address, ip);
    }

    /**
     * Parses {@code show servers state} (format 1: a version line, a {@code #} header naming the columns,
     * one line per server), by column name rather than position. Answers the servers by name.
     */
    public static Map<String, HaproxyServerState> parse(String answer) {
        Map<String, HaproxyServerState> servers = new LinkedHashMap<>();
        List<String> columns = null;
        for (String line : answer.split("\n")) {
            line = line.strip();
            if (line.startsWith("# ")) {
                columns = Arrays.asList(line.substring(2).trim().split("\\s+"));
                continue;
            }
            if (line.isEmpty() || line.startsWith("#") || columns == null) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length < columns.size()) {
                throw new RouterException("cannot read HAProxy's server state line '" + line + "'");
            }
            HaproxyServerState server = new HaproxyServerState(column(columns, fields, "srv_name"),
                    column(columns, fields, "srv_addr"), Integer.parseInt(column(columns, fields, "srv_port")),
                    Integer.parseInt(column(columns, fields, "srv_op_state")),
                    Integer.parseInt(column(columns, fields, "srv_admin_state")),
                    Integer.parseInt(column(columns, fields, "srv_uweight")));
            servers.put(server.name(), server);
        }
        if (columns == null && !answer.isBlank()) {
            // "Can't find backend." and the like: an answer, but not a state dump
            throw new RouterException("HAProxy answered no server state: " + answer.strip());
        }
        return servers;
    }

    private static String column(List<String> columns, String[] fields, String name) {
        int at = columns.indexOf(name);
        if (at < 0) {
            throw new RouterException("HAProxy's server state has no column " + name + ": " + columns);
        }
        return fields[at];
    }
}
