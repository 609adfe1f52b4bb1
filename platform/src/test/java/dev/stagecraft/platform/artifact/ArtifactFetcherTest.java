package dev.stagecraft.platform.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.stagecraft.platform.net.Dialer;
import dev.stagecraft.platform.net.HostResolver;
import dev.stagecraft.platform.net.OutboundHttp;
import dev.stagecraft.platform.net.OutboundLimits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store (content-addressed, idempotent, size-limited) and the fetcher's one answer for every refusal. */
class ArtifactFetcherTest {
    @TempDir
    Path tmp;
    ArtifactStore store;
    ArtifactFetcher fetcher;
    Path jar;
    String sha;

    @BeforeEach
    void setUp() throws Exception {
        store = new ArtifactStore(tmp.resolve("store"));
        Path src = Files.createDirectories(tmp.resolve("src"));
        jar = Files.writeString(src.resolve("app.jar"), "the app");
        sha = ArtifactStore.sha256(jar);
        Dialer noNetwork = (address, timeout) -> {
            throw new AssertionError("no connection expected, got " + address);
        };
        fetcher = new ArtifactFetcher(store, ArtifactSources.parse(src.toString()),
                new OutboundHttp(HostResolver.SYSTEM, noNetwork),
                new OutboundLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 100));
    }

    @Test
    void storesContentOnceUnderItsSha256() throws Exception {
        var first = store.put(new ByteArrayInputStream("bytes".getBytes(StandardCharsets.UTF_8)), 100);
        var second = store.put(new ByteArrayInputStream("bytes".getBytes(StandardCharsets.UTF_8)), 100);
        assertEquals(first, second);
        assertEquals(5, first.size());
        assertEquals(ArtifactStore.sha256(first.path()), first.sha256());
        assertEquals("stagecraft-artifact:sha256:" + first.sha256(), first.uri());
        // permission bits, not isWritable: root may write anything
        assertFalse(Files.getPosixFilePermissions(first.path()).contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE));
        try (var leftovers = Files.list(tmp.resolve("store/incoming"))) {
            assertEquals(0, leftovers.count());
        }
    }

    @Test
    void keepsNothingOverTheLimit() throws Exception {
        assertThrows(ArtifactStore.TooLargeException.class,
                () -> store.put(new ByteArrayInputStream(new byte[101]), 100));
        try (var leftovers = Files.list(tmp.resolve("store/incoming"))) {
            assertEquals(0, leftovers.count());
        }
        assertFalse(Files.exists(tmp.resolve("store/sha256")) && Files.list(tmp.resolve("store/sha256")).findAny()
                .isPresent());
    }

    @Test
    void fetchesFromTheSourcesAndTheStore() throws Exception {
        assertEquals(jar.toRealPath(), fetcher.fetchVerified(jar.toUri().toString(), sha));
        var stored = store.put(new ByteArrayInputStream("stored".getBytes(StandardCharsets.UTF_8)), 100);
        assertEquals(stored.path(), fetcher.fetchVerified(stored.uri(), stored.sha256().toUpperCase()));
    }

    @Test
    void answersEveryRefusalAlike() {
        String[][] refused = {
                {jar.toUri().toString(), "0".repeat(64)},
                {"file:///etc/passwd", sha},
                {"file:///etc/shadow", "0".repeat(64)},
                {"file://" + tmp + "/src/../../../../etc/passwd", sha},
                {"file://" + tmp + "/src/missing.jar", sha},
                {ArtifactUris.storeUri("a".repeat(64)), "a".repeat(64)},
                {ArtifactUris.storeUri("a".repeat(64)), sha},
                {"http://169.254.169.254/latest/meta-data/", sha},
                {"http://127.0.0.1:8081/q/metrics", sha},
                {"ftp://example.com/a.jar", sha},
        };
        for (String[] probe : refused) {
            ArtifactException e = assertThrows(ArtifactException.class, () -> fetcher.fetchVerified(probe[0], probe[1]),
                    probe[0]);
            assertEquals(ArtifactException.REFUSAL, e.getMessage(), probe[0]);
            assertFalse(e.reason().isBlank());
        }
        assertTrue(ArtifactUris.syntaxProblem("ftp://example.com/a.jar").isPresent());
    }
}
