package dev.stagecraft.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Artifact files for tests, in target/test-artifacts/: the one directory the test profile lists as an artifact
 * source (stagecraft.artifacts.sources), so that releases may name them with file: URIs.
 */
public final class TestArtifacts {
    public static final Path DIR = Path.of("target", "test-artifacts").toAbsolutePath();

    private TestArtifacts() {
    }

    public static Path file(String prefix, String content) {
        try {
            Path file = Files.createTempFile(Files.createDirectories(DIR), prefix, ".jar");
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
