package dev.stagecraft.agent;

import dev.stagecraft.contracts.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** {@code file:} URIs only, used in place; the sha256 is checked on every fetch, so a file changed since is refused. */
final class FileArtifactFetcher implements ArtifactFetcher {

    @Override
    public Path fetch(ArtifactRef ref) throws ArtifactException {
        URI uri;
        try {
            uri = URI.create(ref.uri());
        } catch (IllegalArgumentException e) {
            throw new ArtifactException("artifact URI " + ref.uri() + " is not a URI");
        }
        if (!"file".equals(uri.getScheme())) {
            throw new ArtifactException("artifact " + ref.uri() + ": this agent fetches file: URIs only"
                    + (ref.uri().startsWith(StoreArtifactFetcher.STORE_PREFIX) ? " (it has no store to download"
                    + " from: set STAGECRAFT_AGENT_ARTIFACT_STORE_URL and STAGECRAFT_AGENT_ARTIFACT_TOKEN_FILE)" : ""));
        }
        Path file = Path.of(uri);
        if (!Files.isRegularFile(file)) {
            throw new ArtifactException("artifact " + file + " does not exist");
        }
        String actual = sha256(file);
        if (ref.sha256() == null || !actual.equals(ref.sha256().toLowerCase(Locale.ROOT))) {
            throw new ArtifactException("artifact " + file + " has sha256 " + actual + ", expected " + ref.sha256());
        }
        return file;
    }

    static String sha256(Path file) throws ArtifactException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new ArtifactException("cannot read artifact " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
