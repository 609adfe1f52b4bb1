package dev.stagecraft.inventory.driver;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "stagecraft.driver")
public interface DriverConfig {
    /** Which driver runs instances: {@code local-process} or {@code agent} ({@code STAGECRAFT_INSTANCE_DRIVER}). */
    @WithDefault("local-process")
    String kind();

    /** Where instances keep their logs. (Artifacts live in the platform's store: stagecraft.artifacts.store-dir.) */
    String workDir();

    /** How long a new process may take to open its port. */
    @WithDefault("30s")
    Duration startTimeout();

    /** How long a process may take to stop after SIGTERM before it is killed. */
    @WithDefault("10s")
    Duration stopTimeout();

    /** JVM options for .jar artifacts. */
    @WithDefault("-Xmx64m")
    String javaOptions();

    /** The agent driver's settings (stagecraft.driver.kind=agent). */
    Agent agent();

    interface Agent {
        /** A host is alive while its last heartbeat is younger than this (the agents beat every 5 s). */
        @WithDefault("15s")
        Duration heartbeatFreshness();

        /** How far back host status is read at start-up: enough to hold every live agent's last heartbeat. */
        @WithDefault("30s")
        Duration statusLookBack();

        /** At start-up, how long to wait for the host status to be read before taking instances over. */
        @WithDefault("20s")
        Duration takeoverGrace();

        /** Added to the start and stop timeouts for the command and the report to travel through Kafka. */
        @WithDefault("10s")
        Duration answerMargin();

        /**
         * How agents get artifacts ({@code STAGECRAFT_AGENT_ARTIFACTS}, {@link AgentArtifacts}): {@code store} (they
         * download them from release-service by sha256) or {@code shared-disk} ({@code file:} URIs on this machine).
         */
        @WithDefault("store")
        String artifacts();
    }
}
