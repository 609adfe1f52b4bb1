package dev.stagecraft.inventory.driver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.platform.artifact.ArtifactFetcher;
import dev.stagecraft.platform.artifact.ArtifactSources;
import dev.stagecraft.platform.artifact.ArtifactStore;
import dev.stagecraft.platform.net.HostResolver;
import dev.stagecraft.platform.net.OutboundHttp;
import dev.stagecraft.platform.net.OutboundLimits;
import dev.stagecraft.contracts.secrets.SecretBox;
import dev.stagecraft.contracts.secrets.SecretScope;

/**
 * A real sample-app process that fails at start and prints a secret's plain value (its config check quotes the bad
 * value). The driver's failure message quotes the process's last lines and travels in {@code instances.*} events and
 * lifecycle messages on the topic CI follows: the secret's value must show as {@code ***} there.
 */
class StartFailureOutputTest {
    private static final String PLAIN = "not-a-rate-but-a-pa55word";

    @TempDir
    Path tmp;

    @Test
    void theQuotedOutputOfAFailedStartMasksTheInstancesSecrets() throws Exception {
        Path built = Path.of("..", "sample-app", "target", "sample-app.jar").toAbsolutePath().normalize();
        Path jar = Files.copy(built, Files.createDirectories(tmp.resolve("builds")).resolve("sample-app.jar"));
        ArtifactFetcher fetcher = new ArtifactFetcher(new ArtifactStore(tmp.resolve("store")),
                ArtifactSources.parse(jar.getParent().toString()), new OutboundHttp(HostResolver.SYSTEM, (a, t) -> {
                    throw new AssertionError("no connection expected");
                }), new OutboundLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1 << 30));
        SecretBox box = SecretBox.ofBase64Key(SecretBox.newBase64Key());
        ReleaseSpec release = new ReleaseSpec("shop", "1.0.0", new ArtifactRef(jar.toUri().toString(),
                ArtifactStore.sha256(jar)), Map.of("SAMPLE_LATENCY_MS", "0"), Map.of("SAMPLE_ERROR_RATE",
                        box.seal(PLAIN, SecretScope.instance("staging", "shop", "SAMPLE_ERROR_RATE"))));
        LocalProcessDriver driver = new LocalProcessDriver(config(tmp.resolve("work")), fetcher, Optional.of(box));
        try {
            DriverException failed = assertThrows(DriverException.class,
                    () -> driver.start("i-leaky", "staging", release));
            assertTrue(failed.getMessage().contains("SAMPLE_ERROR_RATE=*** must be a number"), failed.getMessage());
            assertFalse(failed.getMessage().contains(PLAIN), failed.getMessage());
        } finally {
            driver.stopAll();
        }
    }

    private static DriverConfig config(Path workDir) {
        return new DriverConfig() {
            public String kind() {
                return "local-process";
            }

            public String workDir() {
                return workDir.toString();
            }

            public Duration startTimeout() {
                return Duration.ofSeconds(60);
            }

            public Duration stopTimeout() {
                return Duration.ofSeconds(5);
            }

            public String javaOptions() {
                return "-Xmx32m";
            }

            public Agent agent() {
                return null;
            }
        };
    }
}
