package dev.stagecraft.inventory.driver;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "stagecraft.driver")
public interface DriverConfig {
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
}
