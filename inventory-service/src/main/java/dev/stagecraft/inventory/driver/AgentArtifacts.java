package dev.stagecraft.inventory.driver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.platform.artifact.ArtifactStore;
import dev.stagecraft.platform.artifact.ArtifactUris;

/**
 * How a host agent gets a release's artifact, once this service has fetched and checked it under the platform's
 * policy ({@link RunnableArtifact}):
 * <ul>
 * <li>{@code store} (the default): the checked file is put in the platform's store (content-addressed, so a second
 * time costs a hash) and the agent is told {@code stagecraft-artifact:sha256:<hex>}; it downloads the bytes from
 * release-service ({@code GET /api/v1/artifacts/sha256/<hex>}) and checks the sha256 itself. Nothing assumes the
 * agent shares this machine's disk.</li>
 * <li>{@code shared-disk}: the agent is told the checked file's {@code file:} URI (agents on this machine, with no
 * store URL configured).</li>
 * </ul>
 */
final class AgentArtifacts {
    static final String STORE = "store";
    static final String SHARED_DISK = "shared-disk";

    private final String mode;
    private final ArtifactStore store;
    private final long maxBytes;

    AgentArtifacts(String mode, ArtifactStore store, long maxBytes) {
        String m = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
        if (!STORE.equals(m) && !SHARED_DISK.equals(m)) {
            throw new IllegalStateException("unknown stagecraft.driver.agent.artifacts '" + mode + "'; available: "
                    + STORE + ", " + SHARED_DISK);
        }
        this.mode = m;
        this.store = store;
        this.maxBytes = maxBytes;
    }

    /** The reference the agent gets for {@code checked}, the local copy whose sha256 is {@code sha256}. */
    ArtifactRef forAgent(Path checked, String sha256) {
        if (SHARED_DISK.equals(mode)) {
            return new ArtifactRef(checked.toAbsolutePath().toUri().toString(), sha256);
        }
        if (store.find(sha256).isEmpty()) {
            try (InputStream in = Files.newInputStream(checked)) {
                if (store.putIfMatches(in, maxBytes, sha256).isEmpty()) {
                    throw new DriverException("artifact " + checked + " changed while it was put in the store: "
                            + "its sha256 is no longer " + sha256);
                }
            } catch (IOException e) {
                throw new DriverException("cannot put artifact " + sha256 + " in the store " + store.root() + ": "
                        + e.getMessage(), e);
            }
        }
        return new ArtifactRef(ArtifactUris.storeUri(sha256), sha256);
    }
}
