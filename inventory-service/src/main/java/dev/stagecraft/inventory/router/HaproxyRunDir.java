package dev.stagecraft.inventory.router;

import dev.stagecraft.router.haproxy.HaproxyConfigFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * Where one HAProxy router keeps its files: the config, the map files and the log in a directory of its own
 * under the configured work dir, and the two unix sockets in a short directory of their own under the system
 * temp dir.
 *
 * <p>The sockets live apart because a unix socket's path must be short: HAProxy refuses one longer than 97
 * characters (sun_path is 108 bytes, and HAProxy binds through a temporary name a few characters longer). A work
 * dir in a deep checkout ({@code /check/work/main/e2e-tests/target/…}) is too long, so the sockets never go there.
 * Both directories are private to this router, so that routers of several services or tests never meet, and
 * both are removed by {@link #delete()}.
 */
final class HaproxyRunDir {
    private static final Logger LOG = Logger.getLogger(HaproxyRunDir.class);
    static final int MAX_SOCKET_PATH = 97;

    private final Path files;
    private final Path sockets;

    private HaproxyRunDir(Path files, Path sockets) {
        this.files = files;
        this.sockets = sockets;
    }

    /** Creates both directories; {@code socketParent} is the system temp dir outside tests. */
    static HaproxyRunDir create(Path workDir, Path socketParent) {
        Path files = createUnder(workDir, "run-", "stagecraft.router.haproxy.work-dir");
        Path sockets;
        try {
            sockets = createUnder(socketParent, "stagecraft-haproxy-", "java.io.tmpdir");
        } catch (RuntimeException e) {
            deleteTree(files);
            throw e;
        }
        HaproxyRunDir dir = new HaproxyRunDir(files, sockets);
        String longest = dir.masterSocket().toString();
        if (longest.length() > MAX_SOCKET_PATH) {
            dir.delete();
            throw new IllegalStateException("HAProxy's unix sockets need a path of at most " + MAX_SOCKET_PATH
                    + " characters, and " + longest + " is longer: set java.io.tmpdir to a shorter directory");
        }
        return dir;
    }

    static HaproxyRunDir create(Path workDir) {
        return create(workDir, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** The config, the map files and the log. */
    Path files() {
        return files;
    }

    Path configFile() {
        return files.resolve("haproxy.cfg");
    }

    Path log() {
        return files.resolve("haproxy.log");
    }

    Path masterSocket() {
        return sockets.resolve("master.sock");
    }

    Path statsSocket() {
        return sockets.resolve("stats.sock");
    }

    void delete() {
        deleteTree(files);
        deleteTree(sockets);
    }

    boolean exists() {
        return Files.exists(files) || Files.exists(sockets);
    }

    @Override
    public String toString() {
        return files + " (sockets in " + sockets + ")";
    }

    private static Path createUnder(Path parent, String prefix, String setting) {
        Path dir;
        try {
            Files.createDirectories(parent);
            dir = Files.createTempDirectory(parent.toAbsolutePath().normalize(), prefix);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the haproxy router's directory under " + parent
                    + " (" + setting + "): " + e.getMessage(), e);
        }
        // the paths go into HAProxy's config and command line as they are
        if (!HaproxyConfigFile.SAFE_PATH.matcher(dir.toString()).matches()) {
            deleteTree(dir);
            throw new IllegalStateException(setting + " must be a path of letters, digits and / . _ + -, not "
                    + parent.toAbsolutePath());
        }
        return dir;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("cannot delete %s: %s", dir, e.getMessage());
        }
    }
}
