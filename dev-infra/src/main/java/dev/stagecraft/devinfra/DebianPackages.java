package dev.stagecraft.devinfra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the programs some tests run for real (HAProxy, Prometheus), installing their Debian packages
 * with the project's own {@code deploy/tools/install-debian-packages} when they are missing.
 */
public final class DebianPackages {
    private static final List<String> DIRS = List.of("/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin");

    /** The program's path, installing its package first if needed; fails when it cannot be had. */
    public static Path ensure(String program) {
        Optional<Path> found = find(program);
        if (found.isPresent()) {
            return found.get();
        }
        Path script = projectRoot().resolve("deploy/tools/install-debian-packages");
        try {
            Process p = new ProcessBuilder(script.toString(), program).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("installing " + program + " took over 10 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(script + " " + program + " failed with exit code " + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + program, e);
        }
        return find(program).orElseThrow(() -> new IllegalStateException(program + " still missing after install"));
    }

    public static Optional<Path> find(String program) {
        List<String> dirs = new ArrayList<>(DIRS);
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(0, List.of(path.split(":")));
        }
        return dirs.stream().map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }

    /** The reactor's root: the nearest directory up from the working directory that has deploy/tools. */
    static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/tools"))) {
                return dir;
            }
        }
        throw new IllegalStateException("deploy/tools not found above " + Path.of("").toAbsolutePath());
    }

    private DebianPackages() {
    }
}
