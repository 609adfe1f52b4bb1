package dev.stagecraft.inventory.messaging;

import static dev.stagecraft.inventory.InventoryTestSupport.processesOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.inventory.InventoryTestSupport;
import dev.stagecraft.platform.artifact.ArtifactException;
import dev.stagecraft.platform.artifact.ArtifactStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Step requests are data anyone with write access to stagecraft.rollout-steps can forge. The driver applies the
 * artifact policy itself, so a forged provision naming a shell, a file outside the sources, an unlisted URL, an
 * unknown runtime or a non-jar is answered as a failed instance, and nothing of it ever runs.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class ForgedStepsTest {
    private static final String ENV = "staging";
    static InventoryTestSupport support;
    static final List<String> services = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        support = new InventoryTestSupport();
    }

    @AfterAll
    static void nothingRuns() {
        support.close();
        for (String service : services) {
            assertEquals(List.of(), processesOf(service), "processes of " + service);
        }
    }

    /** Provisions one instance of {@code release} under a fresh service; answers its outcome. */
    static InstanceOutcome provision(ReleaseSpec template) {
        String service = InventoryTestSupport.uniqueService("forged");
        services.add(service);
        ReleaseSpec release = new ReleaseSpec(service, template.version(), template.artifact(), Map.of(),
                template.runtime());
        String dep = UUID.randomUUID().toString();
        support.request(EventTypes.PROVISION_REQUESTED, StepRequest.provision(dep, 1, service, ENV, 1, release));
        List<InstanceOutcome> outcomes = support.awaitAnswer(dep, EventTypes.INSTANCES_PROVISIONED, 1).outcomes();
        assertEquals(1, outcomes.size(), outcomes.toString());
        return outcomes.get(0);
    }

    static ReleaseSpec spec(String uri, String sha256, String runtime) {
        return new ReleaseSpec("template", "1.0.0", new ArtifactRef(uri, sha256), Map.of(), runtime);
    }

    @Test
    void refusesEverythingButAllowedJars() throws Exception {
        Path sources = support.sampleApp.getParent();
        String shSha = ArtifactStore.sha256(Path.of("/bin/sh").toRealPath());
        Path linkToShell = Files.createSymbolicLink(sources.resolve("shell-" + UUID.randomUUID() + ".jar"),
                Path.of("/bin/sh"));
        Path marker = sources.resolve("ran-" + UUID.randomUUID());
        Path script = Files.writeString(sources.resolve("script-" + UUID.randomUUID() + ".jar"),
                "#!/bin/sh\ntouch " + marker + "\nsleep 60\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        String made = "ab".repeat(32);

        Map<String, ReleaseSpec> probes = new LinkedHashMap<>();
        probes.put("/bin/sh with its sha256", spec("file:///bin/sh", shSha, null));
        probes.put("a link in the source to /bin/sh", spec(linkToShell.toUri().toString(), shSha, null));
        probes.put("/etc/passwd", spec("file:///etc/passwd", ArtifactStore.sha256(Path.of("/etc/passwd")), null));
        probes.put("an unlisted loopback URL", spec("http://127.0.0.1:8080/api/v1/artifacts/sha256/" + made, made, null));
        probes.put("the metadata service", spec("http://169.254.169.254/latest/meta-data/", made, null));
        probes.put("a store URI the store lacks", spec("stagecraft-artifact:sha256:" + made, made, null));
        probes.put("the sample app, wrong sha256", spec(support.sampleApp.toUri().toString(), made, null));
        Map<String, ReleaseSpec> otherReasons = new LinkedHashMap<>();
        otherReasons.put("an unknown runtime", spec(support.sampleApp.toUri().toString(), support.sampleAppSha,
                "shell"));
        otherReasons.put("a script in the sources", spec(script.toUri().toString(), ArtifactStore.sha256(script),
                null));

        int wrong = 0;
        for (Map.Entry<String, ReleaseSpec> probe : probes.entrySet()) {
            InstanceOutcome outcome = provision(probe.getValue());
            if (outcome.ok() || !ArtifactException.REFUSAL.equals(outcome.error())) {
                wrong++;
                System.out.println("forged step " + probe.getKey() + ": " + outcome);
            }
        }
        for (Map.Entry<String, ReleaseSpec> probe : otherReasons.entrySet()) {
            InstanceOutcome outcome = provision(probe.getValue());
            if (outcome.ok()) {
                wrong++;
                System.out.println("forged step " + probe.getKey() + ": " + outcome);
            }
        }
        System.out.printf("forged step probes: %d tried, %d accepted wrongly%n", probes.size() + otherReasons.size(),
                wrong);
        assertEquals(0, wrong);
        assertFalse(Files.exists(marker), "the script never ran");

        // the control: the sample app from the shared store, named by its store URI, runs
        Path storeDir = Path.of(ConfigProvider.getConfig().getValue("stagecraft.artifacts.store-dir", String.class));
        ArtifactStore.Stored stored;
        try (var in = Files.newInputStream(support.sampleApp)) {
            stored = new ArtifactStore(storeDir).put(in, Long.MAX_VALUE);
        }
        InstanceOutcome ok = provision(spec(stored.uri(), stored.sha256(), ReleaseSpec.JAVA_JAR));
        assertTrue(ok.ok(), ok.toString());
        String dep = UUID.randomUUID().toString();
        support.decommissionAll(dep, 1, services.get(services.size() - 1), ENV);
    }
}
