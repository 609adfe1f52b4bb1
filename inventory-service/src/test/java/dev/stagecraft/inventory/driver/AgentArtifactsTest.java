package dev.stagecraft.inventory.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.platform.artifact.ArtifactStore;

class AgentArtifactsTest {
    @TempDir
    Path dir;

    @Test
    void inStoreModeTheCheckedFileIsStoredAndNamedBySha256() throws Exception {
        Path jar = Files.writeString(dir.resolve("app.jar"), "the bytes of a release", StandardCharsets.UTF_8);
        String sha = ArtifactStore.sha256(jar);
        ArtifactStore store = new ArtifactStore(dir.resolve("store"));
        AgentArtifacts toAgents = new AgentArtifacts("store", store, 1024);

        ArtifactRef ref = toAgents.forAgent(jar, sha);

        assertEquals(new ArtifactRef("stagecraft-artifact:sha256:" + sha, sha), ref);
        Path stored = store.find(sha).orElseThrow().path();
        assertEquals("the bytes of a release", Files.readString(stored), "release-service serves these bytes");
        // a second instance of the same release: the same reference, the stored copy untouched
        assertEquals(ref, toAgents.forAgent(jar, sha));
    }

    @Test
    void aFileThatNoLongerHashesToTheReleasesSha256IsNotStored() throws Exception {
        Path jar = Files.writeString(dir.resolve("app.jar"), "changed after the check", StandardCharsets.UTF_8);
        String other = "0".repeat(64);
        ArtifactStore store = new ArtifactStore(dir.resolve("store"));

        DriverException e = assertThrows(DriverException.class,
                () -> new AgentArtifacts("store", store, 1024).forAgent(jar, other));

        assertTrue(e.getMessage().contains("is no longer " + other), e.getMessage());
        assertTrue(store.find(other).isEmpty());
    }

    @Test
    void sharedDiskModeNamesTheCheckedFileItself() throws Exception {
        Path jar = Files.writeString(dir.resolve("app.jar"), "x", StandardCharsets.UTF_8);
        String sha = ArtifactStore.sha256(jar);
        ArtifactStore store = new ArtifactStore(dir.resolve("store"));

        ArtifactRef ref = new AgentArtifacts("shared-disk", store, 1024).forAgent(jar, sha);

        assertEquals(jar.toUri().toString(), ref.uri());
        assertTrue(store.find(sha).isEmpty(), "nothing is copied");
    }

    @Test
    void anUnknownModeIsRefusedAtStartWithTheChoices() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new AgentArtifacts("ftp", new ArtifactStore(dir), 1));
        assertTrue(e.getMessage().contains("available: store, shared-disk"), e.getMessage());
    }
}
