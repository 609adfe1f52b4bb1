package dev.stagecraft.platform.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Fetches release artifacts ({@code file:} or {@code http(s):} URIs) and checks their sha256.
 * Blocking: call it from a worker thread.
 */
public final class ArtifactStore {
    private final Path cacheDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    public ArtifactStore(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** Returns a local path holding the artifact, after checking that its sha256 is {@code expectedSha256}. */
    public Path fetchVerified(String uri, String expectedSha256) {
        Path local = fetch(uri, expectedSha256);
        String actual = sha256(local);
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw new ArtifactException("sha256 of " + uri + " is " + actual + ", expected " + expectedSha256);
        }
        return local;
    }

    private Path fetch(String uri, String expectedSha256) {
        URI parsed = parse(uri);
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            Path path = Path.of(parsed);
            if (!Files.isRegularFile(path)) {
                throw new ArtifactException("artifact " + uri + " does not exist");
            }
            return path;
        }
        try {
            Files.createDirectories(cacheDir);
            Path target = cacheDir.resolve(expectedSha256.toLowerCase(Locale.ROOT) + fileNameOf(parsed));
            if (Files.isRegularFile(target) && sha256(target).equalsIgnoreCase(expectedSha256)) {
                return target;
            }
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(parsed).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new ArtifactException("fetching " + uri + " answered HTTP " + response.statusCode());
            }
            Path partial = Files.createTempFile(cacheDir, "download", ".part");
            try (InputStream body = response.body()) {
                Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            return Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ArtifactException("cannot fetch " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException("interrupted while fetching " + uri, e);
        }
    }

    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new ArtifactException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Which URI schemes artifacts may use; anything else is refused when a release is created. */
    public static boolean supportedScheme(String uri) {
        try {
            String scheme = URI.create(uri).getScheme();
            return scheme != null && switch (scheme.toLowerCase(Locale.ROOT)) {
                case "file", "http", "https" -> true;
                default -> false;
            };
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static URI parse(String uri) {
        if (!supportedScheme(uri)) {
            throw new ArtifactException("artifact URI " + uri + " must be file:, http: or https:");
        }
        return URI.create(uri);
    }

    private static String fileNameOf(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        int slash = path.lastIndexOf('/');
        String name = slash >= 0 ? path.substring(slash + 1) : path;
        return name.isEmpty() ? "" : "-" + name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
