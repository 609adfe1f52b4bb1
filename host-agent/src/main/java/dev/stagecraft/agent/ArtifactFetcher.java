package dev.stagecraft.agent;

import dev.stagecraft.contracts.ArtifactRef;
import java.nio.file.Path;

/**
 * Brings an instance's artifact onto this host and proves it is the one the release names (its sha256), before
 * every launch. The platform's artifact store (http(s) downloads into a cache, an allowlist of sources) is being
 * hardened in {@code platform}; it plugs in here as another implementation, without the agent taking on Quarkus.
 */
interface ArtifactFetcher {

    /** The local file to run, whose sha256 is {@code ref.sha256()}. */
    Path fetch(ArtifactRef ref) throws ArtifactException;

    final class ArtifactException extends Exception {
        ArtifactException(String message) {
            super(message);
        }
    }
}
