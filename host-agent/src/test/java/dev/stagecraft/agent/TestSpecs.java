package dev.stagecraft.agent;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.InstanceSpec;
import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.ReleaseSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** Specs and handles for tests. */
final class TestSpecs {
    static final Path SAMPLE_APP = Path.of(System.getProperty("sample.app.jar", "../sample-app/target/sample-app.jar"))
            .toAbsolutePath().normalize();

    private TestSpecs() {
    }

    static InstanceSpec sampleApp(String id, String version, long generation, Map<String, String> config) {
        String sha;
        try {
            sha = FileArtifactFetcher.sha256(SAMPLE_APP);
        } catch (ArtifactFetcher.ArtifactException e) {
            throw new IllegalStateException("build sample-app first: " + e.getMessage(), e);
        }
        return new InstanceSpec(id, "staging",
                new ReleaseSpec("shop", version, new ArtifactRef(SAMPLE_APP.toUri().toString(), sha), config), generation);
    }

    static InstanceSpec spec(String id, long generation) {
        return new InstanceSpec(id, "staging",
                new ReleaseSpec("shop", "1.0.0", new ArtifactRef("file:///nowhere/app.jar", "ab"), Map.of()), generation);
    }

    /** A handle in the given state, with a process for STARTING and RUNNING. */
    static InstanceHandle handle(String id, long generation, String state, String desired) {
        boolean withProcess = InstanceStatus.RUNNING.equals(state) || InstanceStatus.STARTING.equals(state);
        return new InstanceHandle(id, spec(id, generation), desired, "127.0.0.2", 40000, withProcess ? 4242 : 0,
                withProcess ? 777 : 0, "/nowhere/app.jar", "ab", state, Instant.EPOCH, 0, 0, null, null, null);
    }
}
