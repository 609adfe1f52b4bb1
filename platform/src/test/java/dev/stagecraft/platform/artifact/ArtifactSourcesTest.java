package dev.stagecraft.platform.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The source allowlist: files by real path, URLs by scheme, host, port and whole path segments. */
class ArtifactSourcesTest {
    static final AtomicInteger TRIED = new AtomicInteger();
    static final AtomicInteger WRONG = new AtomicInteger();

    @TempDir
    static Path tmp;
    static ArtifactSources sources;

    @BeforeAll
    static void layout() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("app.jar"), "app");
        Files.createDirectories(src.resolve("sub"));
        Files.writeString(src.resolve("sub/inner.jar"), "inner");
        Files.createSymbolicLink(src.resolve("link-out"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(src.resolve("link-in.jar"), src.resolve("app.jar"));
        Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(tmp.resolve("outside/secret.jar"), "secret");
        Files.createSymbolicLink(src.resolve("dir-out"), tmp.resolve("outside"));
        Files.createDirectories(tmp.resolve("srcx"));
        Files.writeString(tmp.resolve("srcx/evil.jar"), "evil");
        sources = ArtifactSources.parse(" " + src + "/ , file://" + tmp.resolve("missing-dir")
                + "/,https://artifacts.example.com/releases,http://127.0.0.1:9000/");
    }

    @ParameterizedTest(name = "{0} allowed={1}")
    @CsvSource(delimiter = '|', textBlock = """
            src/app.jar               | true
            src/sub/inner.jar         | true
            src/link-in.jar           | true
            src/sub/../app.jar        | true
            src/../outside/secret.jar | false
            src/../srcx/evil.jar      | false
            srcx/evil.jar             | false
            src/link-out              | false
            src/dir-out/secret.jar    | false
            src/missing.jar           | false
            src                       | false
            src/sub                   | false
            outside/secret.jar        | false
            /etc/passwd               | false
            /etc/shadow               | false
            /dev/zero                 | false
            /proc/self/environ        | false
            """)
    void filesByRealPath(String path, boolean allowed) {
        String full = path.startsWith("/") ? path : tmp + "/" + path;
        boolean actual = sources.allowedFile(URI.create("file://" + full)).isPresent();
        count(allowed, actual);
        assertEquals(allowed, actual, full);
    }

    @ParameterizedTest(name = "{0} allowed={1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://artifacts.example.com/releases/a.jar          | true
            https://ARTIFACTS.example.com/releases/a.jar          | true
            https://artifacts.example.com:443/releases/a.jar      | true
            https://artifacts.example.com/releases/x/../a.jar     | true
            https://artifacts.example.com/releases/a.jar?v=1      | true
            http://127.0.0.1:9000/a.jar                           | true
            http://artifacts.example.com/releases/a.jar           | false
            https://artifacts.example.com:8443/releases/a.jar     | false
            https://artifacts.example.com/releases-evil/a.jar     | false
            https://artifacts.example.com/releases                | false
            https://artifacts.example.com/releases/../admin       | false
            https://artifacts.example.com/releases/%2e%2e/admin   | false
            https://artifacts.example.com/releases/..%2fadmin     | false
            https://artifacts.example.com/releases/..%5cadmin     | false
            https://artifacts.example.com.evil.com/releases/a.jar | false
            https://user@artifacts.example.com/releases/a.jar     | false
            https://artifacts.example.com/other/a.jar             | false
            http://127.0.0.1:9001/a.jar                           | false
            http://127.0.0.1/a.jar                                | false
            http://localhost:9000/a.jar                           | false
            http://169.254.169.254/latest/meta-data/              | false
            """)
    void urlsByPrefix(String url, boolean allowed) {
        boolean actual = sources.allowedUrl(URI.create(url)).isPresent();
        count(allowed, actual);
        assertEquals(allowed, actual, url);
    }

    @Test
    void aNamedPrefixReachesOnlyPublicAddressesALiteralOneOnlyItsAddress() throws Exception {
        var named = sources.allowedUrl(URI.create("https://artifacts.example.com/releases/a.jar")).orElseThrow();
        assertTrue(named.destinations().refusal("artifacts.example.com", InetAddress.getByName("127.0.0.1")).isPresent());
        assertTrue(named.destinations().refusal("artifacts.example.com", InetAddress.getByName("10.1.1.1")).isPresent());
        assertTrue(named.destinations().refusal("artifacts.example.com", InetAddress.getByName("8.8.8.8")).isEmpty());
        var literal = sources.allowedUrl(URI.create("http://127.0.0.1:9000/a.jar")).orElseThrow();
        assertTrue(literal.destinations().refusal("127.0.0.1", InetAddress.getByName("127.0.0.1")).isEmpty());
        assertTrue(literal.destinations().refusal("127.0.0.1", InetAddress.getByName("127.0.0.2")).isPresent());
    }

    @Test
    void refusesRelativeDirectoriesAndOtherSchemes() {
        assertThrows(IllegalArgumentException.class, () -> ArtifactSources.parse("target/builds/"));
        assertThrows(IllegalArgumentException.class, () -> ArtifactSources.parse("https://user@example.com/"));
        assertEquals(0, ArtifactSources.parse(" , ").directories().size());
    }

    @Test
    void nothingIsAllowedByDefault() {
        assertTrue(ArtifactSources.none().allowedFile(URI.create("file://" + tmp + "/src/app.jar")).isEmpty());
        assertTrue(ArtifactSources.parse(null).allowedUrl(URI.create("https://artifacts.example.com/a")).isEmpty());
    }

    private static void count(boolean expectedAllowed, boolean allowed) {
        TRIED.incrementAndGet();
        if (allowed && !expectedAllowed) {
            WRONG.incrementAndGet();
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("artifact sources: %d cases, %d accepted wrongly%n", TRIED.get(), WRONG.get());
    }
}
