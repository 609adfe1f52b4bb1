package dev.stagecraft.devinfra;

import java.util.function.BooleanSupplier;

/**
 * Where a test's Kafka or PostgreSQL comes from. An address in the environment wins: the user runs one
 * already. Otherwise Testcontainers where a Docker engine answers (unless {@code STAGECRAFT_TESTCONTAINERS=false}),
 * and else a real server started here as a process, which needs nothing installed.
 */
public enum ServerSource {
    EXTERNAL, CONTAINER, PROCESS;

    /**
     * @param externalAddress the address the environment gives, if any
     * @param testcontainers  the value of {@code STAGECRAFT_TESTCONTAINERS}, if set
     * @param dockerReachable asked only when it decides, because asking takes time
     */
    static ServerSource choose(String externalAddress, String testcontainers, BooleanSupplier dockerReachable) {
        if (externalAddress != null && !externalAddress.isBlank()) {
            return EXTERNAL;
        }
        if ("false".equalsIgnoreCase(testcontainers == null ? "" : testcontainers.trim())) {
            return PROCESS;
        }
        return dockerReachable.getAsBoolean() ? CONTAINER : PROCESS;
    }
}
