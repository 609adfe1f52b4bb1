package dev.stagecraft.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * After a platform stops, no instance, fleet router or HAProxy it started may still run. Only the processes of that
 * platform count: the shared platform ({@link SharedPlatform}) runs until the end of the test run, so its instances
 * are alive while other classes stop theirs. A process is the platform's when its output goes to a file under the
 * platform's work directory, or its working directory or command line names it (instances, routers and HAProxy all
 * write their logs and state there).
 */
final class Leftovers {
    static void assertNoInstanceProcesses(Path workDir) {
        Path root = workDir.toAbsolutePath().normalize();
        List<String> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("sample-app.jar")
                        || p.info().commandLine().orElse("").contains("dev.stagecraft.router.RouterMain")
                        || p.info().command().orElse("").endsWith("/haproxy"))
                .filter(p -> belongsTo(p, root))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
        assertTrue(leftovers.isEmpty(), "instances left running after inventory-service stopped: " + leftovers);
    }

    private static boolean belongsTo(ProcessHandle process, Path root) {
        if (process.info().commandLine().orElse("").contains(root.toString())) {
            return true;
        }
        Path proc = Path.of("/proc", Long.toString(process.pid()));
        for (Path link : List.of(proc.resolve("fd/1"), proc.resolve("fd/2"), proc.resolve("cwd"))) {
            try {
                if (Files.readSymbolicLink(link).startsWith(root)) {
                    return true;
                }
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                // gone meanwhile, or not ours to read: judged by the other links
            }
        }
        return false;
    }

    private Leftovers() {
    }
}
