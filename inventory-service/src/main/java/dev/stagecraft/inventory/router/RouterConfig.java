package dev.stagecraft.inventory.router;

import java.time.Duration;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "stagecraft.router")
public interface RouterConfig {
    /**
     * Which router: {@code embedded} (with the local driver a weighted reverse proxy inside this service; with the
     * agent driver a router per fleet under the host agents, which run an HAProxy per fleet where it is installed and
     * a router process elsewhere) or {@code haproxy} (one real HAProxy for every fleet, started and driven by this
     * service: for the local driver).
     */
    @WithDefault("embedded")
    String kind();

    /**
     * The routers' first port: fleets get base-port, base-port + 1, ... in the order they are opened. Unset:
     * each fleet gets a free port.
     */
    OptionalInt basePort();

    /** How long the router waits for a connection to an instance (then tries another one). */
    @WithDefault("1s")
    Duration connectTimeout();

    /** How long an instance may stay silent while answering a proxied request before it is given up (504). */
    @WithDefault("30s")
    Duration requestTimeout();

    /** How long a drained instance's requests in flight may take to finish before its process is stopped anyway. */
    @WithDefault("5s")
    Duration drainTimeout();

    /**
     * With the agent driver: how long a host agent may take to answer a fleet router's new table (starting the router
     * if needed, setting the table, reading it back), on top of the drain timeout.
     */
    @WithDefault("30s")
    Duration agentAnswerTimeout();

    /** The haproxy router's own settings. */
    Haproxy haproxy();

    interface Haproxy {
        /** The HAProxy program (2.6 or later); Debian's package installs it here. */
        @WithDefault("/usr/sbin/haproxy")
        String binary();

        /** Where each router keeps its HAProxy config, map files, unix sockets and log (a run-* directory). */
        @WithDefault("${STAGECRAFT_WORK_DIR:${java.io.tmpdir}/stagecraft}/haproxy")
        String workDir();

        /**
         * Server slots a fleet starts with. Not a limit: an update that needs more grows the fleet's slots (doubling,
         * at most 4095) with a hitless reload.
         */
        @WithDefault("32")
        int slots();
    }
}
