package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.stagecraft.contracts.ArtifactRef;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent downloads store artifacts itself, over real HTTP from a server that answers as release-service's
 * {@code GET /api/v1/artifacts/sha256/<hex>} does: with the token, into its cache, sha256 checked; never keeps bytes
 * that are not the ones named.
 */
class StoreArtifactFetcherTest {
    private static final byte[] JAR = "PK\u0003\u0004 pretend this is a jar".getBytes(StandardCharsets.ISO_8859_1);
    private static final String SHA = sha256(JAR);

    @TempDir
    Path dir;
    private HttpServer store;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private volatile byte[] served = JAR;

    @BeforeEach
    void store() throws IOException {
        store = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        store.createContext("/api/v1/artifacts/sha256/", exchange -> {
            asked.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            boolean known = exchange.getRequestURI().getPath().endsWith("/" + SHA);
            boolean allowed = "Bearer viewer-token".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            int status = !allowed ? 401 : known ? 200 : 404;
            byte[] body = status == 200 ? served : "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        store.start();
    }

    @AfterEach
    void stop() {
        store.stop(0);
    }

    private StoreArtifactFetcher fetcher(String token) {
        return new StoreArtifactFetcher(URI.create("http://127.0.0.1:" + store.getAddress().getPort()), () -> token,
                dir.resolve("artifacts"), 1024, Duration.ofSeconds(10), new FileArtifactFetcher());
    }

    private static ArtifactRef stored(String sha) {
        return new ArtifactRef(StoreArtifactFetcher.STORE_PREFIX + sha, sha);
    }

    @Test
    void downloadsWithItsTokenChecksAndCachesThenChecksTheCacheAgain() throws Exception {
        StoreArtifactFetcher fetcher = fetcher("viewer-token");
        Path file = fetcher.fetch(stored(SHA));
        assertEquals(dir.resolve("artifacts").resolve(SHA), file);
        assertEquals(SHA, sha256(Files.readAllBytes(file)));
        assertEquals(List.of("/api/v1/artifacts/sha256/" + SHA + " Bearer viewer-token"), asked);

        assertEquals(file, fetcher.fetch(stored(SHA)));
        assertEquals(1, asked.size(), "the second launch uses the cached copy");

        Files.write(file, "changed on disk".getBytes(StandardCharsets.UTF_8));
        assertEquals(SHA, sha256(Files.readAllBytes(fetcher.fetch(stored(SHA)))), "a changed copy is fetched anew");
        assertEquals(2, asked.size());
    }

    @Test
    void refusesWhatIsNotTheArtifactNamedAndKeepsNothing() throws Exception {
        served = "other bytes".getBytes(StandardCharsets.UTF_8);
        ArtifactFetcher.ArtifactException wrong = assertThrows(ArtifactFetcher.ArtifactException.class,
                () -> fetcher("viewer-token").fetch(stored(SHA)));
        assertTrue(wrong.getMessage().contains("expected " + SHA), wrong.getMessage());
        try (var left = Files.list(dir.resolve("artifacts"))) {
            assertEquals(0, left.count(), "neither the file nor a partial download is kept");
        }

        served = new byte[2048]; // over the fetcher's limit of 1024
        assertTrue(assertThrows(ArtifactFetcher.ArtifactException.class, () -> fetcher("viewer-token")
                .fetch(stored(SHA))).getMessage().contains("larger than 1024"));

        String unknown = "a".repeat(64);
        assertTrue(assertThrows(ArtifactFetcher.ArtifactException.class, () -> fetcher("viewer-token")
                .fetch(stored(unknown))).getMessage().contains("HTTP 404"));
        assertTrue(assertThrows(ArtifactFetcher.ArtifactException.class, () -> fetcher("wrong")
                .fetch(stored(SHA))).getMessage().contains("HTTP 401"));
        // a URI naming one sha256 and a release naming another: not even asked for
        int before = asked.size();
        assertThrows(ArtifactFetcher.ArtifactException.class, () -> fetcher("viewer-token")
                .fetch(new ArtifactRef(StoreArtifactFetcher.STORE_PREFIX + SHA, unknown)));
        assertThrows(ArtifactFetcher.ArtifactException.class, () -> fetcher("viewer-token")
                .fetch(new ArtifactRef(StoreArtifactFetcher.STORE_PREFIX + "../../etc/passwd", SHA)));
        assertEquals(before, asked.size());
        assertFalse(Files.exists(dir.resolve("artifacts").resolve(SHA)));
    }

    @Test
    void fileUrisStayWithTheFileFetcherAndSettingsNeedATokenWithAStore() throws Exception {
        Path jar = Files.write(dir.resolve("app.jar"), JAR);
        assertEquals(jar, fetcher("viewer-token").fetch(new ArtifactRef(jar.toUri().toString(), SHA)));
        assertTrue(asked.isEmpty());

        assertThrows(IllegalArgumentException.class, () -> ArtifactSettings.fromEnv(Map.of(
                "STAGECRAFT_AGENT_ARTIFACT_STORE_URL", "http://127.0.0.1:8080")));
        assertThrows(IllegalArgumentException.class, () -> ArtifactSettings.fromEnv(Map.of(
                "STAGECRAFT_AGENT_ARTIFACT_STORE_URL", "file:///store", "STAGECRAFT_AGENT_ARTIFACT_TOKEN_FILE", "/t")));
        assertTrue(ArtifactSettings.fromEnv(Map.of()).fetcher(dir) instanceof FileArtifactFetcher);

        Path token = Files.writeString(dir.resolve("token"), "viewer-token\n");
        ArtifactFetcher configured = ArtifactSettings.fromEnv(Map.of("STAGECRAFT_AGENT_ARTIFACT_STORE_URL",
                "http://127.0.0.1:" + store.getAddress().getPort(), "STAGECRAFT_AGENT_ARTIFACT_TOKEN_FILE",
                token.toString())).fetcher(dir);
        assertEquals(dir.resolve("artifacts").resolve(SHA), configured.fetch(stored(SHA)), "the token read from its file");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
