package dev.stagecraft.platform.artifact;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import dev.stagecraft.platform.net.OutboundHttp;
import dev.stagecraft.platform.net.OutboundLimits;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's artifact store and fetcher, from {@code stagecraft.artifacts.*} (environment:
 * {@code STAGECRAFT_ARTIFACT_STORE_DIR}, {@code STAGECRAFT_ARTIFACT_SOURCES}, {@code STAGECRAFT_ARTIFACT_MAX_SIZE};
 * defaults in the platform's microprofile-config.properties). Services that share a store directory share
 * their artifacts: release-service writes uploads there, inventory-service reads them.
 */
@ApplicationScoped
public class Artifacts {
    private final ArtifactStore store;
    private final ArtifactFetcher fetcher;
    private final long maxSize;

    public Artifacts(@ConfigProperty(name = "stagecraft.artifacts.store-dir") String storeDir,
            @ConfigProperty(name = "stagecraft.artifacts.sources") Optional<String> sources,
            @ConfigProperty(name = "stagecraft.artifacts.max-size") MemorySize maxSize,
            @ConfigProperty(name = "stagecraft.artifacts.connect-timeout") Duration connectTimeout,
            @ConfigProperty(name = "stagecraft.artifacts.read-timeout") Duration readTimeout,
            @ConfigProperty(name = "stagecraft.artifacts.fetch-timeout") Duration fetchTimeout,
            OutboundHttp http) {
        this.store = new ArtifactStore(Path.of(storeDir));
        this.maxSize = maxSize.asLongValue();
        this.fetcher = new ArtifactFetcher(store, ArtifactSources.parse(sources.orElse("")), http,
                new OutboundLimits(connectTimeout, readTimeout, fetchTimeout, this.maxSize));
    }

    public ArtifactStore store() {
        return store;
    }

    public ArtifactFetcher fetcher() {
        return fetcher;
    }

    /** The largest artifact accepted, uploaded or fetched. */
    public long maxSize() {
        return maxSize;
    }
}
