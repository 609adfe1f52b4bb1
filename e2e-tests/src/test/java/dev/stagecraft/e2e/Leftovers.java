package dev.stagecraft.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** After a platform stops, no instance (or HAProxy) it started may still run. */
final class Leftovers {
    static void assertNoInstanceProcesses() {
        List<String> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("sample-app.jar")
                        || p.info().commandLine().orElse("").contains("dev.stagecraft.router.RouterMain")
                        || p.info().command().orElse("").endsWith("/haproxy"))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
        assertTrue(leftovers.isEmpty(), "instances left running after inventory-service stopped: " + leftovers);
    }

    private Leftovers() {
    }
}
