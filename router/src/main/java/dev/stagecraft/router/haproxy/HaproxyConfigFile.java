package dev.stagecraft.router.haproxy;


import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Writes HAProxy's config file, and each fleet's map file, from the router's memory. A reload starts a new
 * worker from this file alone, so every server slot in use is written with the address and weight it has
 * now: the fleets that were there keep their traffic through the reload, with no moment in maintenance.
 * (HAProxy's own server-state-file would not do: in 2.6 it restores weights, states and ports across a
 * reload, but not addresses that were set at runtime.) The slots not in use are a {@code server-template}
 * in maintenance.
 */
public final class HaproxyConfigFile {
    /** Where the config names files: no quoting is needed for these characters in any of its directives. */
    public static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9/._+-]+");
    /** A placeholder address for slots in maintenance; a real port, so that {@code set server addr ... port} may change it. */
    private static final String NOWHERE = "127.0.0.1:1";

    public record Settings(Duration connectTimeout, Duration requestTimeout, Path statsSocket) {
    }

    private HaproxyConfigFile() {
    }

    public static String render(Settings settings, Collection<HaproxyFleet> fleets, Path mapDir) {
        StringBuilder cfg = new StringBuilder();
        cfg.append("# Written by Stagecraft's haproxy router (inventory-service's or a host agent's) at every change of fleets;\n")
                .append("# edits are lost. Weights, addresses and states change at runtime through the stats socket.\n")
                .append("global\n")
                .append("    stats socket ").append(settings.statsSocket()).append(" mode 600 level admin\n")
                .append("    # after a reload, the old worker finishes the requests it had, for at most this long\n")
                .append("    hard-stop-after ").append(ms(settings.requestTimeout().plusSeconds(5))).append('\n')
                .append('\n')
                .append("defaults\n")
                .append("    mode http\n")
                // dynamic weights, and shares as exact as the weights over any window of requests
                .append("    balance roundrobin\n")
                .append("    timeout connect ").append(ms(settings.connectTimeout())).append('\n')
                .append("    timeout client ").append(ms(settings.requestTimeout())).append('\n')
                .append("    timeout server ").append(ms(settings.requestTimeout())).append('\n')
                .append("    timeout http-request 10s\n")
                .append("    timeout http-keep-alive 4s\n")
                // as the embedded router: a refused connection (nothing sent yet) is tried once more, on
                // another server; a request that was sent is never sent again
                .append("    retries 1\n")
                .append("    retry-on conn-failure\n")
                .append("    option redispatch\n")
                .append("    option forwardfor\n")
                // at a reload, idle client connections of the old worker are closed after their next answer
                // (Connection: close) rather than at once, under a client about to send on them
                .append("    option idle-close-on-response\n");
        for (HaproxyFleet fleet : fleets) {
            cfg.append('\n').append(listen(fleet, mapFile(mapDir, fleet)));
        }
        return cfg.toString();
    }

    /**
     * Every slot, by name, to the id of the instance in it ({@code -} while free): the
     * {@code X-Stagecraft-Instance} of its answers. Free slots are listed too, so that {@code set map} always
     * finds the entry it changes.
     */
    public static String renderMap(HaproxyFleet fleet) {
        StringBuilder map = new StringBuilder("# slot instance, for X-Stagecraft-Instance\n");
        for (int number = 1; number <= fleet.slotCount(); number++) {
            map.append(HaproxyFleet.SLOT_PREFIX).append(number).append(' ')
                    .append(fleet.slot(number).map(HaproxyFleet.Slot::instanceId).orElse("-")).append('\n');
        }
        return map.toString();
    }

    public static Path mapFile(Path mapDir, HaproxyFleet fleet) {
        return mapDir.resolve(fleet.proxy() + ".map");
    }

    private static String listen(HaproxyFleet fleet, Path mapFile) {
        StringBuilder cfg = new StringBuilder();
        cfg.append("listen ").append(fleet.proxy()).append('\n')
                .append("    # ").append(plain(fleet.key().toString())).append('\n')
                .append("    bind ").append(HaproxyAddresses.serverAddress(fleet.bindAddress(), fleet.port())).append('\n')
                // no instance above weight 0 (nbsrv counts servers up with a weight): answered at once, as the
                // embedded router does. Not in an old worker that is stopping after a reload: there nbsrv is 0,
                // yet it still routes the last requests on its kept-alive connections.
                .append("    http-request return status 503").append(problem(503, "Service Unavailable",
                        "no instance of " + fleet.key() + " is in service")).append(" hdr Retry-After 1")
                .append(" if !{ nbsrv gt 0 } !{ stopping }\n")
                .append("    http-request set-header X-Forwarded-Proto http\n")
                .append("    http-request set-header X-Forwarded-Host %[req.hdr(host)] if { req.hdr(host) -m found }\n")
                // server names are fixed slots; the map names the instance in each, and set map keeps it current
                .append("    http-response set-header X-Stagecraft-Instance %[srv_name,map(").append(mapFile)
                .append(",-)]\n")
                // HAProxy answers 503 for a connection that was refused, on the retry too (the embedded router: 502)
                .append("    http-error status 503").append(problem(503, "Service Unavailable", "no instance of "
                        + fleet.key() + " accepted the connection")).append('\n')
                .append("    http-error status 502").append(problem(502, "Bad Gateway", "an instance of "
                        + fleet.key() + " failed to answer")).append('\n')
                .append("    http-error status 504").append(problem(504, "Gateway Timeout", "an instance of "
                        + fleet.key() + " did not answer in time")).append('\n');
        int firstFree = 0;
        for (int number = 1; number <= fleet.slotCount() + 1; number++) {
            HaproxyFleet.Slot slot = number <= fleet.slotCount() ? fleet.slot(number).orElse(null) : null;
            boolean freeHere = number <= fleet.slotCount() && slot == null;
            if (freeHere) {
                firstFree = firstFree == 0 ? number : firstFree;
                continue;
            }
            if (firstFree != 0) {
                cfg.append("    server-template ").append(HaproxyFleet.SLOT_PREFIX).append(' ').append(firstFree)
                        .append('-').append(number - 1).append(' ').append(NOWHERE).append(" disabled\n");
                firstFree = 0;
            }
            if (slot != null) {
                cfg.append("    server ").append(slot.server()).append(' ')
                        .append(HaproxyAddresses.serverAddress(slot.ip(), slot.backend().port()))
                        .append(" weight ").append(slot.backend().weight()).append('\n');
            }
        }
        return cfg.toString();
    }

    /** The same problem+json as the embedded router's, generated by HAProxy itself: the arguments after a status. */
    private static String problem(int status, String title, String detail) {
        String json = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                + plain(detail) + "\",\"errors\":[]}";
        // in single quotes HAProxy takes everything as it is, so the JSON's double quotes need no escaping
        return " content-type application/problem+json string '" + json + "'";
    }

    /** Text from names (service, environment) that can break neither a config line, a quoted string nor JSON. */
    public static String plain(String text) {
        return text.replaceAll("[^A-Za-z0-9 ._:-]", "_");
    }

    private static String ms(Duration duration) {
        return Math.max(1, duration.toMillis()) + "ms";
    }
}
