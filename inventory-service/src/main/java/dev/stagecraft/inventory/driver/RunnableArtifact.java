package dev.stagecraft.inventory.driver;

import java.nio.file.Path;

import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.platform.artifact.ArtifactException;
import dev.stagecraft.platform.artifact.ArtifactFetcher;

/**
 * What every driver checks before an instance may run: the release's runtime is one Stagecraft runs
 * ({@code java-jar}), and its artifact comes from the store or a listed source with a matching sha256. One place,
 * so that a forged step request is refused the same way whichever driver gets it.
 */
final class RunnableArtifact {
    private RunnableArtifact() {
    }

    /** The local, checked copy of the release's artifact. */
    static Path fetch(ReleaseSpec release, ArtifactFetcher artifacts) {
        if (!ReleaseSpec.JAVA_JAR.equals(release.runtime())) {
            throw new DriverException("runtime '" + release.runtime() + "' is not supported; Stagecraft runs "
                    + ReleaseSpec.JAVA_JAR + " only");
        }
        if (release.artifact() == null) {
            throw new DriverException(ArtifactException.REFUSAL);
        }
        try {
            // the same single message as release-service's answer: an instance's lastError is shown by the API
            return artifacts.fetchVerified(release.artifact().uri(), release.artifact().sha256());
        } catch (ArtifactException e) {
            throw new DriverException(e.getMessage(), e);
        }
    }
}
