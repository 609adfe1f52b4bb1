package dev.stagecraft.platform.artifact;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import dev.stagecraft.platform.net.OutboundHttp;
import dev.stagecraft.platform.net.OutboundLimits;
import dev.stagecraft.platform.net.OutboundResponse;
import org.jboss.logging.Logger;

/**
 * Finds an artifact by its URI and checks its sha256, applying one policy wherever artifacts are used
 * (release-service when a release is created, inventory-service before it starts an instance): the store, or
 * a listed source ({@link ArtifactSources}), nothing else. Every refusal is the same {@link ArtifactException};
 * the real reason goes to the log. Blocking: call it from a worker thread.
 */
public final class ArtifactFetcher {
    private static final Logger LOG = Logger.getLogger(ArtifactFetcher.class);

    private final ArtifactStore store;
    private final ArtifactSources sources;
    private final OutboundHttp http;
    private final OutboundLimits limits;

    public ArtifactFetcher(ArtifactStore store, ArtifactSources sources, OutboundHttp http, OutboundLimits limits) {
        this.store = store;
        this.sources = sources;
        this.http = http;
        this.limits = limits;
    }

    /** A local file holding the artifact, after checking that its sha256 is {@code expectedSha256}. */
    public Path fetchVerified(String uri, String expectedSha256) {
        try {
            return fetch(uri, expectedSha256);
        } catch (ArtifactException e) {
            LOG.infof("artifact %s refused: %s", clipped(uri), e.reason());
            throw e;
        }
    }

    /** URIs come from users: a log line shows enough of one to recognise it. */
    private static String clipped(String uri) {
        return uri == null || uri.length() <= 300 ? uri : uri.substring(0, 300) + "…";
    }

    private Path fetch(String uri, String expectedSha256) {
        if (uri == null || expectedSha256 == null || ArtifactUris.syntaxProblem(uri).isPresent()) {
            throw new ArtifactException("not a well-formed artifact URI and sha256");
        }
        Optional<String> storeSha = ArtifactUris.storeSha(uri);
        if (storeSha.isPresent()) {
            if (!storeSha.get().equalsIgnoreCase(expectedSha256)) {
                throw new ArtifactException("the store URI names another sha256 than the release");
            }
            Path path = store.find(storeSha.get()).orElseThrow(() -> new ArtifactException("not in the store "
                    + store.root())).path();
            return verified(path, expectedSha256, "the stored file no longer hashes to its name");
        }
        URI parsed = URI.create(uri);
        if ("file".equalsIgnoreCase(parsed.getScheme())) {
            Path path = sources.allowedFile(parsed).orElseThrow(() -> new ArtifactException(
                    "not a regular file inside " + sources.directories()));
            return verified(path, expectedSha256, "sha256 does not match");
        }
        return download(parsed, expectedSha256);
    }

    private Path verified(Path path, String expectedSha256, String mismatch) {
        try {
            if (Files.size(path) > limits.maxBodyBytes()) {
                throw new ArtifactException("larger than " + limits.maxBodyBytes() + " bytes");
            }
        } catch (IOException e) {
            throw new ArtifactException("cannot read: " + e.getMessage(), e);
        }
        if (!ArtifactStore.sha256(path).equalsIgnoreCase(expectedSha256)) {
            throw new ArtifactException(mismatch);
        }
        return path;
    }

    private Path download(URI uri, String expectedSha256) {
        ArtifactSources.UrlPrefix source = sources.allowedUrl(uri).orElseThrow(() -> new ArtifactException(
                "not under a listed URL prefix"));
        // Downloaded every time, even when the store holds these bytes already: the answer must say whether this URL
        // serves them, not whether someone once uploaded them.
        try (OutboundResponse response = http.get(uri, limits, source.destinations())) {
            if (response.status() != 200) {
                throw new ArtifactException("answered HTTP " + response.status()
                        + (response.status() / 100 == 3 ? " (redirects are not followed)" : ""));
            }
            return store.putIfMatches(response.body(), limits.maxBodyBytes(), expectedSha256)
                    .orElseThrow(() -> new ArtifactException("sha256 does not match"));
        } catch (IOException e) {
            throw new ArtifactException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
