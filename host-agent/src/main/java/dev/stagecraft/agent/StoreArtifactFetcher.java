package dev.stagecraft.agent;

import dev.stagecraft.contracts.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Artifacts from the platform's store, downloaded by the agent itself: {@code stagecraft-artifact:sha256:<hex>} is
 * fetched from release-service's {@code GET /api/v1/artifacts/sha256/<hex>} (with a viewer token) into
 * {@code <state-dir>/artifacts/<hex>}, its sha256 computed while the bytes arrive, and kept only if it is the one
 * named; a cached copy is checked again before every launch (a file changed on disk is fetched anew). Other URIs go
 * to {@code others} ({@link FileArtifactFetcher}: {@code file:} URIs in place). Runs on the supervisor's thread: a
 * download holds the other instances' supervision for its duration, bounded by the timeout.
 */
final class StoreArtifactFetcher implements ArtifactFetcher {
    static final String STORE_PREFIX = "stagecraft-artifact:sha256:";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final URI storeUrl;
    private final Supplier<String> token;
    private final Path cache;
    private final long maxBytes;
    private final Duration timeout;
    private final ArtifactFetcher others;
    private final HttpClient http;

    /** {@code storeUrl}: release-service's base URL, e.g. {@code http://127.0.0.1:8080}. */
    StoreArtifactFetcher(URI storeUrl, Supplier<String> token, Path cache, long maxBytes, Duration timeout,
            ArtifactFetcher others) {
        this.storeUrl = storeUrl;
        this.token = token;
        this.cache = cache;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.others = others;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Path fetch(ArtifactRef ref) throws ArtifactException {
        if (ref.uri() == null || !ref.uri().startsWith(STORE_PREFIX)) {
            return others.fetch(ref);
        }
        String sha = ref.uri().substring(STORE_PREFIX.length()).toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(sha).matches()) {
            throw new ArtifactException("artifact URI " + ref.uri() + " does not name a sha256");
        }
        if (ref.sha256() == null || !sha.equals(ref.sha256().toLowerCase(Locale.ROOT))) {
            throw new ArtifactException("artifact " + ref.uri() + " is not the sha256 the release names (" + ref.sha256()
                    + ")");
        }
        Path cached = cache.resolve(sha);
        if (Files.isRegularFile(cached)) {
            if (FileArtifactFetcher.sha256(cached).equals(sha)) {
                return cached;
            }
            deleteQuietly(cached);
        }
        return download(sha, cached);
    }

    private Path download(String sha, Path target) throws ArtifactException {
        URI uri = storeUrl.resolve("/api/v1/artifacts/sha256/" + sha);
        Path partial = null;
        try {
            Files.createDirectories(cache);
            partial = Files.createTempFile(cache, sha, ".partial");
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Authorization", "Bearer " + token.get()).GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new ArtifactException("artifact store at " + uri + " answered HTTP " + response.statusCode());
                }
                String actual = copyCounting(in, partial);
                if (!actual.equals(sha)) {
                    throw new ArtifactException("artifact downloaded from " + uri + " has sha256 " + actual
                            + ", expected " + sha);
                }
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            partial = null;
            return target;
        } catch (IOException e) {
            throw new ArtifactException("cannot download artifact from " + uri + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException("interrupted while downloading " + uri);
        } finally {
            if (partial != null) {
                deleteQuietly(partial);
            }
        }
    }

    /** Copies at most {@code maxBytes} and answers the sha256 of what was copied. */
    private String copyCounting(InputStream in, Path file) throws IOException, ArtifactException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new ArtifactException("artifact is larger than " + maxBytes + " bytes");
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover in the cache directory, fetched anew next time
        }
    }
}
