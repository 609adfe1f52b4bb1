package dev.stagecraft.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where the agent fetches artifacts from (README, "What it does with an instance"): {@code file:} URIs always; the
 * platform's store ({@code stagecraft-artifact:sha256:<hex>}) when {@code STAGECRAFT_AGENT_ARTIFACT_STORE_URL} names
 * release-service, with the viewer token in {@code STAGECRAFT_AGENT_ARTIFACT_TOKEN_FILE} (read at every download, so
 * it can be replaced while the agent runs).
 */
record ArtifactSettings(Optional<URI> storeUrl, Optional<Path> tokenFile) {
    static final long MAX_BYTES = 512L * 1024 * 1024;
    static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);

    static ArtifactSettings fromEnv(Map<String, String> env) {
        Optional<URI> url = Optional.ofNullable(env.get("STAGECRAFT_AGENT_ARTIFACT_STORE_URL")).filter(v -> !v.isBlank())
                .map(String::trim).map(URI::create);
        url.ifPresent(u -> {
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                throw new IllegalArgumentException("STAGECRAFT_AGENT_ARTIFACT_STORE_URL must be an http(s) URL, was " + u);
            }
        });
        Optional<Path> token = Optional.ofNullable(env.get("STAGECRAFT_AGENT_ARTIFACT_TOKEN_FILE"))
                .filter(v -> !v.isBlank()).map(v -> Path.of(v.trim()));
        if (url.isPresent() && token.isEmpty()) {
            throw new IllegalArgumentException("STAGECRAFT_AGENT_ARTIFACT_STORE_URL needs STAGECRAFT_AGENT_ARTIFACT_TOKEN_FILE"
                    + " (a file holding a viewer token for release-service)");
        }
        return new ArtifactSettings(url, token);
    }

    /** The fetcher these settings describe; downloads are cached in {@code <state-dir>/artifacts}. */
    ArtifactFetcher fetcher(Path stateDir) {
        ArtifactFetcher files = new FileArtifactFetcher();
        if (storeUrl.isEmpty()) {
            return files;
        }
        Path tokenPath = tokenFile.orElseThrow();
        return new StoreArtifactFetcher(storeUrl.get(), () -> {
            try {
                return Files.readString(tokenPath, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the artifact token file " + tokenPath, e);
            }
        }, stateDir.resolve("artifacts"), MAX_BYTES, DOWNLOAD_TIMEOUT, files);
    }
}
